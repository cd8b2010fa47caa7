"""Instruments in and out of the documented JSON file format (`cem-instrument/1`)."""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Instrument, Item, ScalePoint, Subscale

FILE_FORMAT = "cem-instrument/1"
LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class InstrumentFileError(Exception):
    """Every problem found in a file, each saying where (item, field) and what."""

    problems: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.problems)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, obj: dict, key: str, where: str, *, required_languages=("es",)) -> dict:
        value = obj.get(key)
        if not isinstance(value, dict):
            self.fail(
                where,
                _("“%(field)s” must be an object with texts per language (es, en).")
                % {"field": key},
            )
            return {}
        for language in required_languages:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(
                    where,
                    _("“%(field)s” has no text in “%(lang)s”.") % {"field": key, "lang": language},
                )
        return {lang: str(value.get(lang, "")).strip() for lang in LANGUAGES}

    def boolean(self, obj: dict, key: str, where: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.fail(where, _("“%(field)s” must be true or false.") % {"field": key})
            return False
        return value


def instrument_parse(raw: bytes | str | dict) -> dict:
    """Validate a whole instrument file and return it normalised; raise InstrumentFileError."""
    check = _Checker()
    if isinstance(raw, dict):
        doc = raw
    else:
        try:
            doc = json.loads(raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw)
        except UnicodeDecodeError:
            raise InstrumentFileError((_("The file is not UTF-8 text."),)) from None
        except json.JSONDecodeError as error:
            raise InstrumentFileError(
                (
                    _("The file is not valid JSON (line %(line)s, column %(col)s): %(msg)s")
                    % {"line": error.lineno, "col": error.colno, "msg": error.msg},
                )
            ) from None
    if not isinstance(doc, dict):
        raise InstrumentFileError((_("The file must contain one JSON object."),))
    top = _("instrument")
    if doc.get("format") != FILE_FORMAT:
        check.fail(top, _("“format” must be “%(format)s”.") % {"format": FILE_FORMAT})
    for key in ("code", "version"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            check.fail(top, _("“%(field)s” is required.") % {"field": key})
    languages = doc.get("languages", ["es"])
    if (
        not isinstance(languages, list)
        or "es" not in languages
        or not set(languages) <= set(LANGUAGES)
    ):
        check.fail(top, _("“languages” must list “es” and optionally “en”."))
        languages = ["es"]
    name = check.text(doc, "name", top, required_languages=languages)
    description = (
        check.text(doc, "description", top, required_languages=()) if "description" in doc else {}
    )
    validated = check.boolean(doc, "validated", top)

    scoring = doc.get("scoring") if isinstance(doc.get("scoring"), dict) else {}
    if not scoring:
        check.fail(top, _("“scoring” is required and states the direction of the score."))
    higher = (
        check.text(scoring, "higher_score_means", _("scoring"), required_languages=languages)
        if scoring
        else {}
    )
    desired = scoring.get("desired_change")
    if scoring and desired not in Instrument.DesiredChange.values:
        check.fail(_("scoring"), _("“desired_change” must be “decrease” or “increase”."))

    scale = doc.get("scale") if isinstance(doc.get("scale"), dict) else {}
    scale_min, scale_max = scale.get("min"), scale.get("max")
    points: list[dict] = []
    if not (isinstance(scale_min, int) and isinstance(scale_max, int) and scale_min < scale_max):
        check.fail(_("scale"), _("“min” and “max” must be whole numbers with min < max."))
    else:
        labels = scale.get("labels")
        if not isinstance(labels, list):
            check.fail(_("scale"), _("“labels” must list one label per value."))
            labels = []
        seen = set()
        for position, label in enumerate(labels, start=1):
            where = _("scale label %(n)s") % {"n": position}
            if not isinstance(label, dict) or not isinstance(label.get("value"), int):
                check.fail(where, _("“value” must be a whole number."))
                continue
            value = label["value"]
            if not scale_min <= value <= scale_max:
                check.fail(where, _("value %(value)s is outside the scale.") % {"value": value})
            if value in seen:
                check.fail(where, _("value %(value)s appears twice.") % {"value": value})
            seen.add(value)
            for language in languages:
                if not isinstance(label.get(language), str) or not label[language].strip():
                    check.fail(where, _("no label in “%(lang)s”.") % {"lang": language})
            points.append(
                {
                    "value": value,
                    "es": str(label.get("es", "")).strip(),
                    "en": str(label.get("en", "")).strip(),
                }
            )
        if seen != set(range(scale_min, scale_max + 1)):
            check.fail(_("scale"), _("every value from min to max needs a label."))
    agree = scale.get("agree_values", [])
    scale_is_valid = isinstance(scale_min, int) and isinstance(scale_max, int)
    if not isinstance(agree, list) or not all(
        scale_is_valid and isinstance(v, int) and scale_min <= v <= scale_max for v in agree
    ):
        check.fail(_("scale"), _("“agree_values” must list values of the scale."))
        agree = []

    subscales: list[dict] = []
    codes = set()
    for position, subscale in enumerate(doc.get("subscales") or [], start=1):
        where = _("subscale %(n)s") % {"n": position}
        code = subscale.get("code") if isinstance(subscale, dict) else None
        if not isinstance(code, str) or not code.strip():
            check.fail(where, _("“code” is required."))
            continue
        if code in codes:
            check.fail(where, _("code “%(code)s” appears twice.") % {"code": code})
        codes.add(code)
        subscales.append(
            {
                "code": code,
                "order": position,
                "name": check.text(subscale, "name", where, required_languages=languages),
            }
        )

    items: list[dict] = []
    item_codes, orders = set(), set()
    raw_items = doc.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        check.fail(top, _("“items” must list at least one item."))
        raw_items = []
    for position, item in enumerate(raw_items, start=1):
        if not isinstance(item, dict):
            check.fail(_("item %(n)s") % {"n": position}, _("must be an object."))
            continue
        code = item.get("code")
        where = _("item %(n)s (%(code)s)") % {"n": position, "code": code or "?"}
        if not isinstance(code, str) or not code.strip():
            check.fail(where, _("“code” is required."))
        elif code in item_codes:
            check.fail(where, _("code “%(code)s” appears twice.") % {"code": code})
        item_codes.add(code)
        order = item.get("order", position)
        if not isinstance(order, int) or order < 1:
            check.fail(where, _("“order” must be a positive whole number."))
        elif order in orders:
            check.fail(where, _("order %(order)s is used twice.") % {"order": order})
        orders.add(order)
        filler = check.boolean(item, "filler", where)
        reverse = check.boolean(item, "reverse", where)
        subscale = item.get("subscale")
        if filler and reverse:
            check.fail(where, _("a filler item is not scored, so it cannot be reverse-coded."))
        if subscale is not None and subscale not in codes:
            check.fail(where, _("subscale “%(code)s” is not declared.") % {"code": subscale})
        if subscale is None and not filler:
            check.fail(where, _("“subscale” is required for a scored (non-filler) item."))
        items.append(
            {
                "code": code,
                "order": order,
                "subscale": subscale,
                "reverse": reverse,
                "filler": filler,
                "text": check.text(item, "text", where, required_languages=languages),
            }
        )
    if check.problems:
        raise InstrumentFileError(tuple(check.problems))
    return {
        "code": doc["code"].strip(),
        "version": doc["version"].strip(),
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


@transaction.atomic
def instrument_import(raw: bytes | str | dict) -> Instrument:
    """Create an instrument from a file, all or nothing. An existing code+version is refused:
    instruments never change once loaded; a change is a new version."""
    doc = instrument_parse(raw)
    if Instrument.objects.filter(code=doc["code"], version=doc["version"]).exists():
        raise InstrumentFileError(
            (
                _(
                    "instrument: %(code)s version %(version)s already exists; give the changed "
                    "instrument a new version."
                )
                % {"code": doc["code"], "version": doc["version"]},
            )
        )
    instrument = Instrument.objects.create(
        code=doc["code"],
        version=doc["version"],
        languages=doc["languages"],
        name_es=doc["name"]["es"],
        name_en=doc["name"]["en"],
        description_es=doc["description"].get("es", ""),
        description_en=doc["description"].get("en", ""),
        validated=doc["validated"],
        higher_score_means_es=doc["higher_score_means"]["es"],
        higher_score_means_en=doc["higher_score_means"]["en"],
        desired_change=doc["desired_change"],
        scale_min=doc["scale_min"],
        scale_max=doc["scale_max"],
        agree_values=doc["agree_values"],
        status=Instrument.Status.ACTIVE,
    )
    ScalePoint.objects.bulk_create(
        ScalePoint(instrument=instrument, value=p["value"], label_es=p["es"], label_en=p["en"])
        for p in doc["points"]
    )
    subscales = {
        s["code"]: Subscale.objects.create(
            instrument=instrument,
            code=s["code"],
            order=s["order"],
            name_es=s["name"]["es"],
            name_en=s["name"]["en"],
        )
        for s in doc["subscales"]
    }
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            code=i["code"],
            order=i["order"],
            subscale=subscales.get(i["subscale"]),
            reverse=i["reverse"],
            filler=i["filler"],
            text_es=i["text"]["es"],
            text_en=i["text"]["en"],
        )
        for i in doc["items"]
    )
    return instrument


def instrument_export(instrument: Instrument) -> dict:
    """The instrument as a `cem-instrument/1` document, ready for json.dumps."""
    return {
        "format": FILE_FORMAT,
        "code": instrument.code,
        "version": instrument.version,
        "validated": instrument.validated,
        "languages": instrument.languages,
        "name": {"es": instrument.name_es, "en": instrument.name_en},
        "description": {"es": instrument.description_es, "en": instrument.description_en},
        "scoring": {
            "higher_score_means": {
                "es": instrument.higher_score_means_es,
                "en": instrument.higher_score_means_en,
            },
            "desired_change": instrument.desired_change,
        },
        "scale": {
            "min": instrument.scale_min,
            "max": instrument.scale_max,
            "labels": [
                {"value": p.value, "es": p.label_es, "en": p.label_en}
                for p in instrument.scale.all()
            ],
            "agree_values": instrument.agree_values,
        },
        "subscales": [
            {"code": s.code, "name": {"es": s.name_es, "en": s.name_en}}
            for s in instrument.subscales.all()
        ],
        "items": [
            {
                "code": i.code,
                "order": i.order,
                "subscale": i.subscale.code if i.subscale else None,
                "reverse": i.reverse,
                "filler": i.filler,
                "text": {"es": i.text_es, "en": i.text_en},
            }
            for i in instrument.items.select_related("subscale")
        ],
    }
