"""De-identified exports of questionnaire responses, with a REDCap-style data dictionary.

Built in memory:

* responses: one row per participant per wave, raw answers as numeric codes, the stored
  subscale scores and the versions of the instrument and of the scoring key; as UTF-8 CSV
  (with a byte-order mark so that Excel shows accents), or as SPSS (``.sav``) and Stata
  (``.dta``) files with the same variable names, their Spanish labels, value labels and
  declared missing codes (:mod:`assessments.analytics.labelled`);
* dictionary: one row per exported variable (name, form, type, Spanish label, choices,
  identifier status, reverse coding, subscale, instrument version, missing codes), CSV.

No direct identifier ever leaves: no names, usernames, e-mails, birth years or CEM names. The
research code is a pseudonym that appears on no roster, sign-in sheet, acta or certificate (those
print the participant code); only ``lms.research_codes`` links it to a person, and that mapping
is never exported. Every export is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.analytics import labelled
from assessments.analytics.table import (
    DICTIONARY_COLUMNS,
    PREFER_NOT_TO_ANSWER,
    ResponseTable,
    Variable,
)
from assessments.models import Instrument, Item, Response, Wave
from lms.audit import audit_record
from lms.downloads import CSV_MIMETYPE, csv_document, safe_filename, spreadsheet_text
from lms.models import AuditLogEntry, ParticipantProfile

METADATA_FORM = "metadata"


@dataclass(frozen=True)
class ExportFile:
    """An export built in memory: what a view or a command writes out."""

    filename: str
    mimetype: str
    content: bytes
    rows: int


def variable_name(code: str) -> str:
    """Stable snake_case variable name of an item or subscale code."""
    return code.replace("-", "_").lower()


def _form_name(instrument: Instrument) -> str:
    return variable_name(instrument.code)


def _choices(pairs) -> str:
    return " | ".join(f"{value}, {label}" for value, label in pairs)


def export_variables(instrument: Instrument, items: list[Item] | None = None) -> list[Variable]:
    """Every column of the responses file, in order, described for the dictionary.

    Labels are Spanish: item texts and scale labels come from the instrument's Spanish data,
    fixed labels are rendered in Spanish through the translation catalogue.
    """
    items = items if items is not None else list(instrument.items.select_related("subscale"))
    subscales = list(instrument.subscales.all())
    version = instrument.version
    prefer_not = ""
    with translation.override("es"):
        prefer_not_label = _("Prefers not to answer")
        prefer_not = f"{PREFER_NOT_TO_ANSWER}, {prefer_not_label}"
        not_answered = _("empty = not answered")
        declared = _("SPSS: user-missing value; Stata: .a")
        scale = _choices((point.value, point.label_es) for point in instrument.scale.all())
        form = _form_name(instrument)
        variables = [
            Variable(
                "research_code",
                METADATA_FORM,
                "text",
                _("Research code (pseudonym)"),
                identifier="pseudonym",
                note=_("Links the two waves; no direct identifier is exported."),
            ),
            Variable("cohort_id", METADATA_FORM, "integer", _("Cohort (number)")),
            Variable("cohort_name", METADATA_FORM, "text", _("Cohort (name)")),
            Variable("site", METADATA_FORM, "text", _("Site (code)")),
            Variable(
                "generation",
                METADATA_FORM,
                "categorical",
                _("Generation (age band when answering)"),
                choices=_choices(ParticipantProfile.Generation.choices),
                missing_codes=_("empty = not recorded"),
            ),
            Variable(
                "sex",
                METADATA_FORM,
                "categorical",
                _("Sex"),
                choices=_choices(ParticipantProfile.Sex.choices),
                missing_codes=_("empty = not recorded"),
            ),
            Variable(
                "wave",
                METADATA_FORM,
                "categorical",
                _("Questionnaire wave"),
                choices=_choices(Wave.choices),
            ),
        ]
        for item in items:
            if item.filler:
                subscale, note = "", _("Filler item: not scored.")
            else:
                subscale, note = item.subscale.code if item.subscale else "", ""
            variables.append(
                Variable(
                    variable_name(item.code),
                    form,
                    "categorical",
                    item.text_es,
                    choices=f"{scale} | {prefer_not}",
                    reverse_coded="yes" if item.reverse else "no",
                    subscale=subscale,
                    instrument_version=version,
                    missing_codes=f"{prefer_not} ({declared}); {not_answered}",
                    note=note
                    or _("Raw answer as given (reverse coding is applied only in the scores)."),
                )
            )
        for subscale in subscales:
            variables.append(
                Variable(
                    f"score_{variable_name(subscale.code)}",
                    form,
                    "number",
                    _("Score: %(name)s") % {"name": subscale.name_es},
                    subscale=subscale.code,
                    instrument_version=version,
                    missing_codes=_("empty = fewer than 80% of the items answered"),
                    note=_(
                        "Mean of the answered items after reverse coding (%(min)s-%(max)s); "
                        "computed with the scoring key in scoring_key_version."
                    )
                    % {"min": instrument.scale_min, "max": instrument.scale_max},
                )
            )
        variables += [
            Variable("instrument_code", METADATA_FORM, "text", _("Instrument (code)")),
            Variable(
                "instrument_version",
                METADATA_FORM,
                "text",
                _("Instrument version"),
                instrument_version=version,
            ),
            Variable("scoring_key_version", METADATA_FORM, "text", _("Scoring key version")),
        ]
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        raise ValueError(f"Duplicate variable names in the export of {instrument}: {names}")
    return variables


def _answer_cell(answers: dict, code: str) -> int | None:
    if code not in answers:
        return None
    value = answers[code]
    return PREFER_NOT_TO_ANSWER if value is None else value


def _score_cell(value: object) -> float | None:
    return None if value is None else round(float(value), 6)


def export_filename(instrument: Instrument, kind: str, extension: str = "csv") -> str:
    stem = f"{variable_name(instrument.code)}_v{instrument.version}_{kind}"
    return safe_filename(stem, extension=extension)


def response_table(*, instrument: Instrument, responses: QuerySet[Response]) -> ResponseTable:
    """The rows of already-scoped ``responses`` (one query; only those analysable are kept:
    submitted, and not withdrawn from research)."""
    items = list(instrument.items.select_related("subscale"))
    subscales = list(instrument.subscales.all())
    variables = export_variables(instrument, items)
    rows = (
        responses.analysable()
        .filter(instrument=instrument)
        .order_by("cohort_id", "research_code", "-wave")
        .values_list(
            "research_code",
            "cohort_id",
            "cohort__name",
            "site__slug",
            "generation",
            "sex",
            "wave",
            "answers",
            "scores",
            "scoring_key_version",
        )
    )
    out = []
    for code, cohort_id, cohort_name, site, generation, sex, wave, answers, scores, key in rows:
        answers = answers or {}
        scores = scores or {}
        out.append(
            [
                code,
                cohort_id,
                cohort_name,
                site,
                generation,
                sex,
                wave,
                *(_answer_cell(answers, item.code) for item in items),
                *(_score_cell(scores.get(s.code)) for s in subscales),
                instrument.code,
                instrument.version,
                key,
            ]
        )
    with translation.override("es"):
        prefer_not_label = _("Prefers not to answer")
    return ResponseTable(
        instrument=instrument,
        variables=variables,
        item_names=tuple(variable_name(item.code) for item in items),
        score_names=tuple(f"score_{variable_name(s.code)}" for s in subscales),
        rows=out,
        scale_labels={point.value: point.label_es for point in instrument.scale.all()},
        prefer_not_label=prefer_not_label,
    )


# Free text typed by people (codes, cohort names) could run as a formula in a spreadsheet.
_TEXT_COLUMNS = ("research_code", "cohort_name")


def responses_csv(*, instrument: Instrument, responses: QuerySet[Response]) -> ExportFile:
    """The responses file as UTF-8 CSV: unanswered items and missing scores are empty."""
    table = response_table(instrument=instrument, responses=responses)
    names = [v.name for v in table.variables]
    text = [names.index(name) for name in _TEXT_COLUMNS]
    out = []
    for row in table.rows:
        cells = ["" if value is None else value for value in row]
        for position in text:
            cells[position] = spreadsheet_text(cells[position])
        out.append(cells)
    return ExportFile(
        filename=export_filename(instrument, "respuestas"),
        mimetype=CSV_MIMETYPE,
        content=csv_document(names, out),
        rows=len(out),
    )


def responses_sav(*, instrument: Instrument, responses: QuerySet[Response]) -> ExportFile:
    """The responses file for SPSS (see :mod:`assessments.analytics.labelled`)."""
    table = response_table(instrument=instrument, responses=responses)
    return ExportFile(
        filename=export_filename(instrument, "respuestas", "sav"),
        mimetype=labelled.SAV_MIMETYPE,
        content=labelled.sav_bytes(table),
        rows=len(table.rows),
    )


def responses_dta(*, instrument: Instrument, responses: QuerySet[Response]) -> ExportFile:
    """The responses file for Stata (see :mod:`assessments.analytics.labelled`)."""
    table = response_table(instrument=instrument, responses=responses)
    return ExportFile(
        filename=export_filename(instrument, "respuestas", "dta"),
        mimetype=labelled.DTA_MIMETYPE,
        content=labelled.dta_bytes(table),
        rows=len(table.rows),
    )


#: The formats of the responses file, by the name the command and the URLs use.
RESPONSE_WRITERS = {"csv": responses_csv, "sav": responses_sav, "dta": responses_dta}


def dictionary_csv(*, instrument: Instrument) -> ExportFile:
    variables = export_variables(instrument)
    return ExportFile(
        filename=export_filename(instrument, "diccionario"),
        mimetype=CSV_MIMETYPE,
        content=csv_document(
            list(DICTIONARY_COLUMNS),
            [[v.as_row()[c] for c in DICTIONARY_COLUMNS] for v in variables],
        ),
        rows=len(variables),
    )


@transaction.atomic
def export_create(
    *,
    actor: AbstractBaseUser | None,
    instrument: Instrument,
    kind: str,
    responses: QuerySet[Response] | None = None,
    filters: dict[str, object],
    site_id: int | None,
    file_format: str = "csv",
) -> ExportFile:
    """Build one export (``kind`` "responses", in ``file_format`` "csv", "sav" or "dta", or
    "dictionary") and write its audit entry.

    ``responses`` must already be limited to what the actor may see (see
    ``assessments.analytics.selectors.submitted_responses``); ``site_id`` is the site the
    export is about (None for several sites), recorded with the entry.
    """
    if kind == "responses":
        if responses is None:
            raise ValueError("A responses export needs the scoped responses.")
        if file_format not in RESPONSE_WRITERS:
            raise ValueError(f"Unknown export format {file_format!r}")
        export = RESPONSE_WRITERS[file_format](instrument=instrument, responses=responses)
    elif kind == "dictionary":
        export = dictionary_csv(instrument=instrument)
    else:
        raise ValueError(f"Unknown export kind {kind!r}")
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=instrument,
        site=site_id,
        after={
            "export": kind,
            "format": file_format if kind == "responses" else "csv",
            "filters": filters,
            "rows": export.rows,
            "file": export.filename,
        },
    )
    return export
