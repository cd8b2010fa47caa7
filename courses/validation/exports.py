"""Exports of a validation round, each written to the audit log:

* ``informe.pdf``: the "Informe de validación" (:mod:`courses.validation.report`), figures only;
* ``resumen.csv``: the figures per session or concept and group, small cells left empty;
* ``opiniones.csv``: the de-identified feedback, one row per participant (research code, site,
  sex, generation, source, the four ratings and the comment per item, what is missing), with
  the full names of the round's participants taken out of every text; coordinators only;
* ``diccionario.csv``: its data dictionary, in the questionnaire export's columns.

A reader exports what she may see (:mod:`lms.access`); the command line (no actor) exports every
site. No name, user name, e-mail or birth year ever leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.analytics.exports import DICTIONARY_COLUMNS, ExportFile, Variable
from certificates.pdf.filenames import filename_part, safe_filename
from courses.validation.figures import Grouping
from courses.validation.models import (
    RATINGS,
    SCALE,
    ValidationAnswer,
    ValidationFeedback,
    ValidationRound,
)
from courses.validation.names import NameFinder
from courses.validation.report import ValidationReportRenderer
from courses.validation.report_content import report_content
from courses.validation.results import RoundResults, round_results_for, round_results_whole
from lms import access
from lms.audit import audit_record
from lms.downloads import CSV_MIMETYPE, csv_document, spreadsheet_text
from lms.models import AuditLogEntry, ParticipantProfile

FORM = "validacion"
SUMMARY_FORM = "resumen"


@dataclass(frozen=True)
class ExportKind:
    coordinators_only: bool


EXPORTS = {
    "informe.pdf": ExportKind(coordinators_only=False),
    "resumen.csv": ExportKind(coordinators_only=False),
    "opiniones.csv": ExportKind(coordinators_only=True),
    "diccionario.csv": ExportKind(coordinators_only=True),
}


def _filename(round_: ValidationRound, stem: str) -> str:
    code = filename_part(round_.course.code).lower() or "curso"
    return safe_filename(f"validacion-{code}-ronda-{round_.pk}-{stem}", extension="csv")


def _choices(pairs) -> str:
    return " | ".join(f"{value}, {label}" for value, label in pairs)


def feedback_variables(round_: ValidationRound) -> list[Variable]:
    """Every column of the feedback file, in order, described in Spanish."""
    with translation.override("es"):
        scale = _choices(SCALE)
        not_given = _("empty = not answered")
        variables = [
            Variable("round_id", "metadata", "integer", _("Validation round (number)")),
            Variable(
                "research_code",
                "metadata",
                "text",
                _("Research code (pseudonym)"),
                identifier="pseudonym",
                note=_("No direct identifier is exported."),
            ),
            Variable("site", "metadata", "text", _("Site (code)")),
            Variable(
                "sex",
                "metadata",
                "categorical",
                _("Sex"),
                choices=_choices(ParticipantProfile.Sex.choices),
                missing_codes=_("empty = not recorded"),
            ),
            Variable(
                "generation",
                "metadata",
                "categorical",
                _("Generation (age band when answering)"),
                choices=_choices(ParticipantProfile.Generation.choices),
                missing_codes=_("empty = not recorded"),
            ),
            Variable(
                "source",
                "metadata",
                "categorical",
                _("How the feedback was given"),
                choices=_choices(ValidationFeedback.Source.choices),
            ),
            Variable("submitted_on", "metadata", "date", _("Date sent (YYYY-MM-DD)")),
        ]
        for item in round_.items.all():
            for code, label in RATINGS:
                variables.append(
                    Variable(
                        f"{item.code}_{code}",
                        FORM,
                        "categorical",
                        f"{item.title}: {label}",
                        choices=scale,
                        instrument_version=round_.curriculum_version,
                        missing_codes=not_given,
                    )
                )
            variables.append(
                Variable(
                    f"{item.code}_comment",
                    FORM,
                    "text",
                    _("%(item)s: comment") % {"item": item.title},
                    note=_("Full names of the round's participants are replaced by […]."),
                )
            )
        variables.append(
            Variable(
                "missing",
                FORM,
                "text",
                _("What is missing"),
                note=_("Full names of the round's participants are replaced by […]."),
            )
        )
    return variables


def feedback_csv(round_: ValidationRound, feedback) -> ExportFile:
    """One row per participant's feedback, for already-scoped `feedback`."""
    items = list(round_.items.all())
    variables = feedback_variables(round_)
    finder = NameFinder(round_.participants.values_list("person__first_name", "person__last_name"))
    stored = list(feedback.select_related("site").order_by("site__slug", "research_code"))
    answers: dict[int, dict[int, ValidationAnswer]] = {}
    for answer in ValidationAnswer.objects.filter(feedback__in=[f.pk for f in stored]):
        answers.setdefault(answer.feedback_id, {})[answer.item_id] = answer
    rows = []
    for f in stored:
        row = [
            round_.pk,
            spreadsheet_text(f.research_code),
            f.site.slug,
            f.sex,
            f.generation,
            f.source,
            f.submitted_at.date().isoformat(),
        ]
        for item in items:
            answer = answers.get(f.pk, {}).get(item.pk)
            for code, _label in RATINGS:
                value = getattr(answer, code) if answer else None
                row.append("" if value is None else value)
            row.append(spreadsheet_text(finder.redact(answer.comment)) if answer else "")
        row.append(spreadsheet_text(finder.redact(f.missing)))
        rows.append(row)
    return ExportFile(
        filename=_filename(round_, "opiniones"),
        mimetype=CSV_MIMETYPE,
        content=csv_document([v.name for v in variables], rows),
        rows=len(rows),
    )


SUMMARY_COLUMNS = (
    "item_code",
    "item",
    "grouping",
    "group",
    "respondents",
    *(f"{code}_{stat}" for code, _l in RATINGS for stat in ("mean", "share_4_5")),
    "workshops_accept",
    "workshops_adapt",
    "workshops_reject",
)


def _figure(value: float | None, places: int) -> object:
    return "" if value is None else round(value, places)


def summary_csv(round_: ValidationRound, by_grouping: dict[Grouping, RoundResults]) -> ExportFile:
    """The figures per item, overall and by site, sex and generation; suppressed cells empty."""
    names = {Grouping.SITE: "site", Grouping.SEX: "sex", Grouping.GENERATION: "generation"}
    sites = {site.pk: site.slug for site in by_grouping[Grouping.SITE].sites}
    rows = []
    for position, item_result in enumerate(by_grouping[Grouping.SITE].items):
        item = item_result.item
        overall = item_result.figures.overall
        lines = [("all", "all", overall, {})]
        for grouping, results in by_grouping.items():
            for group in results.items[position].figures.groups:
                key = sites.get(group.key, group.key) if grouping == Grouping.SITE else group.key
                verdicts = (
                    item_result.verdicts.get(group.key, {}) if grouping == Grouping.SITE else {}
                )
                lines.append((names[grouping], key or "not_recorded", group, verdicts))
        for grouping_name, key, group, verdicts in lines:
            rows.append(
                [
                    item.code,
                    spreadsheet_text(item.title),
                    grouping_name,
                    key,
                    "" if group.respondents is None else group.respondents,
                    *(
                        v
                        for cell in group.cells
                        for v in (_figure(cell.mean, 3), _figure(cell.share_high, 1))
                    ),
                    *(
                        verdicts.get(v, 0) if grouping_name == "site" else ""
                        for v in ("accept", "adapt", "reject")
                    ),
                ]
            )
    return ExportFile(
        filename=_filename(round_, "resumen"),
        mimetype=CSV_MIMETYPE,
        content=csv_document(SUMMARY_COLUMNS, rows),
        rows=len(rows),
    )


def dictionary_csv(round_: ValidationRound) -> ExportFile:
    variables = feedback_variables(round_)
    return ExportFile(
        filename=_filename(round_, "diccionario"),
        mimetype=CSV_MIMETYPE,
        content=csv_document(
            list(DICTIONARY_COLUMNS),
            [[v.as_row()[c] for c in DICTIONARY_COLUMNS] for v in variables],
        ),
        rows=len(variables),
    )


def _all_groupings(actor, round_: ValidationRound) -> dict[Grouping, RoundResults]:
    if actor is None:
        return {g: round_results_whole(round_, grouping=g) for g in Grouping}
    return {g: round_results_for(actor, round_, grouping=g) for g in Grouping}


@transaction.atomic
def validation_export(
    *, actor: AbstractBaseUser | None, round: ValidationRound, kind: str
) -> ExportFile:
    """Build one export of the round as `actor` may see it (every site for the command line,
    `actor` None) and write its audit entry."""
    if kind == "opiniones.csv":
        feedback = round.feedback.all()
        export = feedback_csv(
            round, feedback if actor is None else access.readable(actor, feedback)
        )
    elif kind == "diccionario.csv":
        export = dictionary_csv(round)
    elif kind == "resumen.csv":
        export = summary_csv(round, _all_groupings(actor, round))
    elif kind == "informe.pdf":
        content = report_content(round, _all_groupings(actor, round), actor=actor)
        filename, mimetype, data = ValidationReportRenderer().render(content)
        export = ExportFile(
            filename=filename, mimetype=mimetype, content=data, rows=len(content.items)
        )
    else:
        raise ValueError(f"Unknown export kind {kind!r}")
    # Logged under the exporter's own site when she has one, so that she reads it in the log.
    site_ids = list(round.sites.values_list("pk", flat=True))
    site = access.coordination_scope(actor).site_id if actor is not None else None
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=round,
        site=site or (site_ids[0] if len(site_ids) == 1 else None),
        after={"export": kind, "rows": export.rows, "file": export.filename},
    )
    return export
