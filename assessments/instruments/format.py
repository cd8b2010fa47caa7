"""The structure of a `cem-instrument/1` file (see the README), checked whole.

:func:`instrument_parse` reads a file with :mod:`assessments.instruments.checks` and returns
the normalised document, every text within the limit of the column it will be stored in, or
raises :class:`~assessments.instruments.checks.InstrumentFileError` listing every problem with
its place. It raises nothing else, whatever the file holds.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from assessments.instruments.checks import (
    LANGUAGES,
    Checker,
    InstrumentFileError,
    is_int,
    read_document,
    shown,
)
from assessments.models import Instrument, Item, ScalePoint, Subscale

FILE_FORMAT = "cem-instrument/1"
MAX_SCALE_POINTS = 11
SCALE_BOUNDS = (-100, 100)
MAX_ITEMS = 300
MAX_SUBSCALES = 30
MAX_ORDER = 1000
MAX_ITEM_TEXT = 2000
MAX_DESCRIPTION = 5000
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*\Z")


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def instrument_parse(raw: bytes | str | dict) -> dict:
    """Validate a whole instrument file and return it normalised; raise InstrumentFileError."""
    doc = raw if isinstance(raw, dict) else read_document(raw)
    if not isinstance(doc, dict):
        raise InstrumentFileError((_("The file must contain one JSON object."),))
    check = Checker()
    top = _("instrument")
    if doc.get("format") != FILE_FORMAT:
        check.fail(top, _("“format” must be “%(format)s”.") % {"format": FILE_FORMAT})
    code = check.string(
        doc.get("code"), top, "code", max_length=_limit(Instrument, "code"), pattern=SLUG
    )
    version = check.string(
        doc.get("version"), top, "version", max_length=_limit(Instrument, "version")
    )
    if version and not VERSION.match(version):
        check.fail(top, _("“version” may hold only letters, digits, “.”, “-” and “_”."))
    languages = _languages(check, doc, top)
    name = check.text(
        doc, "name", top, max_length=_limit(Instrument, "name_es"), required_languages=languages
    )
    description = (
        check.text(
            doc,
            "description",
            top,
            max_length=MAX_DESCRIPTION,
            required_languages=(),
            multiline=True,
        )
        if "description" in doc
        else {}
    )
    validated = check.boolean(doc, "validated", top)
    higher, desired = _scoring(check, doc, top, languages)
    scale_min, scale_max, points, agree = _scale(check, doc, languages)
    subscales = _subscales(check, doc, top, languages)
    items = _items(check, doc, top, languages, {s["code"] for s in subscales})
    check.raise_if_any()
    return {
        "code": code,
        "version": version,
        "languages": languages,
        "name": name,
        "description": description,
        "validated": validated,
        "higher_score_means": higher,
        "desired_change": desired,
        "scale_min": scale_min,
        "scale_max": scale_max,
        "points": points,
        "agree_values": agree,
        "subscales": subscales,
        "items": items,
    }


def _languages(check: Checker, doc: dict, top: str) -> list[str]:
    languages = doc.get("languages", ["es"])
    if (
        not isinstance(languages, list)
        or not all(isinstance(language, str) for language in languages)
        or "es" not in languages
        or not set(languages) <= set(LANGUAGES)
    ):
        check.fail(top, _("“languages” must list “es” and optionally “en”."))
        return ["es"]
    return sorted(set(languages), key=LANGUAGES.index)


def _scoring(check: Checker, doc: dict, top: str, languages: list[str]) -> tuple[dict, str]:
    scoring = doc.get("scoring") if isinstance(doc.get("scoring"), dict) else {}
    if not scoring:
        check.fail(top, _("“scoring” is required and states the direction of the score."))
        return {}, ""
    higher = check.text(
        scoring,
        "higher_score_means",
        _("scoring"),
        max_length=_limit(Instrument, "higher_score_means_es"),
        required_languages=languages,
    )
    desired = scoring.get("desired_change")
    if not isinstance(desired, str) or desired not in Instrument.DesiredChange.values:
        check.fail(_("scoring"), _("“desired_change” must be “decrease” or “increase”."))
        desired = ""
    return higher, desired


def _scale(check: Checker, doc: dict, languages: list[str]) -> tuple[int, int, list, list]:
    where = _("scale")
    scale = doc.get("scale") if isinstance(doc.get("scale"), dict) else {}
    low, high = scale.get("min"), scale.get("max")
    lowest, highest = SCALE_BOUNDS
    if not (is_int(low) and is_int(high) and low < high):
        check.fail(where, _("“min” and “max” must be whole numbers with min < max."))
        return 0, 0, [], []
    if low < lowest or high > highest:
        check.fail(
            where,
            _("“min” and “max” must lie between %(low)s and %(high)s.")
            % {"low": lowest, "high": highest},
        )
        return 0, 0, [], []
    if high - low + 1 > MAX_SCALE_POINTS:
        check.fail(where, _("a scale has at most %(n)s points (values).") % {"n": MAX_SCALE_POINTS})
        return 0, 0, [], []
    points, seen = [], set()
    labels = check.listing(scale, "labels", where, most=MAX_SCALE_POINTS, required=True)
    for position, label in enumerate(labels, start=1):
        here = _("scale label %(n)s") % {"n": position}
        if not isinstance(label, dict) or not is_int(label.get("value")):
            check.fail(here, _("“value” must be a whole number."))
            continue
        value = label["value"]
        if not low <= value <= high:
            check.fail(here, _("value %(value)s is outside the scale.") % {"value": value})
        elif value in seen:
            check.fail(here, _("value %(value)s appears twice.") % {"value": value})
        seen.add(value)
        texts = {}
        for language in LANGUAGES:
            given = label.get(language)
            if language not in languages and language not in label:
                texts[language] = ""
                continue
            if language in languages and not isinstance(given, str):
                check.fail(here, _("no label in “%(lang)s”.") % {"lang": language})
                texts[language] = ""
                continue
            texts[language] = check.string(
                given,
                here,
                language,
                max_length=_limit(ScalePoint, "label_es"),
                required=language in languages,
            )
        points.append({"value": value, **texts})
    if labels and seen != set(range(low, high + 1)):
        check.fail(where, _("every value from min to max needs a label."))
    agree = scale.get("agree_values", [])
    if not isinstance(agree, list) or not all(is_int(v) and low <= v <= high for v in agree):
        check.fail(where, _("“agree_values” must list values of the scale."))
        agree = []
    return low, high, points, sorted(set(agree))


def _subscales(check: Checker, doc: dict, top: str, languages: list[str]) -> list[dict]:
    subscales, codes = [], set()
    listed = check.listing(doc, "subscales", top, most=MAX_SUBSCALES, required=False)
    for position, subscale in enumerate(listed, start=1):
        where = _("subscale %(n)s") % {"n": position}
        if not isinstance(subscale, dict):
            check.fail(where, _("must be an object."))
            continue
        code = check.string(
            subscale.get("code"),
            where,
            "code",
            max_length=_limit(Subscale, "code"),
            pattern=SLUG,
        )
        if not code:
            continue
        if code in codes:
            check.fail(where, _("code “%(code)s” appears twice.") % {"code": code})
        codes.add(code)
        name = check.text(
            subscale,
            "name",
            where,
            max_length=_limit(Subscale, "name_es"),
            required_languages=languages,
        )
        subscales.append({"code": code, "order": position, "name": name})
    return subscales


def _items(
    check: Checker, doc: dict, top: str, languages: list[str], subscale_codes: set[str]
) -> list[dict]:
    items, codes, orders = [], set(), set()
    listed = check.listing(doc, "items", top, most=MAX_ITEMS, required=True)
    for position, item in enumerate(listed, start=1):
        if not isinstance(item, dict):
            check.fail(_("item %(n)s") % {"n": position}, _("must be an object."))
            continue
        given = item.get("code")
        where = _("item %(n)s (%(code)s)") % {
            "n": position,
            "code": shown(given) if given not in (None, "") else "?",
        }
        code = check.string(given, where, "code", max_length=_limit(Item, "code"), pattern=SLUG)
        if code and code in codes:
            check.fail(where, _("code “%(code)s” appears twice.") % {"code": code})
        codes.add(code)
        order = item.get("order", position)
        if not is_int(order) or not 1 <= order <= MAX_ORDER:
            check.fail(
                where,
                _("“order” must be a whole number from 1 to %(max)s.") % {"max": MAX_ORDER},
            )
        elif order in orders:
            check.fail(where, _("order %(order)s is used twice.") % {"order": order})
        else:
            orders.add(order)
        filler = check.boolean(item, "filler", where)
        reverse = check.boolean(item, "reverse", where)
        subscale = item.get("subscale")
        if filler and reverse:
            check.fail(where, _("a filler item is not scored, so it cannot be reverse-coded."))
        if subscale is not None and (
            not isinstance(subscale, str) or subscale not in subscale_codes
        ):
            check.fail(where, _("subscale “%(code)s” is not declared.") % {"code": shown(subscale)})
            subscale = None
        elif subscale is None and not filler:
            check.fail(where, _("“subscale” is required for a scored (non-filler) item."))
        text = check.text(
            item,
            "text",
            where,
            max_length=MAX_ITEM_TEXT,
            required_languages=languages,
            multiline=True,
        )
        items.append(
            {
                "code": code,
                "order": order,
                "subscale": subscale,
                "reverse": reverse,
                "filler": filler,
                "text": text,
            }
        )
    return items
