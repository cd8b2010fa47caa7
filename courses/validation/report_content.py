"""The frozen content of the "Informe de validación", from the results of a round as its reader
may see them: plain Spanish values for :class:`courses.validation.report.ValidationReportRenderer`.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.validation.figures import Grouping
from courses.validation.models import FindingRevision, ValidationConsent, ValidationRound
from courses.validation.presenters import (
    count_text,
    headcount_text,
    labeller,
    mean_text,
    people_table,
    share_text,
    verdicts_text,
)
from courses.validation.report import (
    ReportAnswer,
    ReportContent,
    ReportFigureRow,
    ReportFinding,
    ReportItem,
    ReportPeople,
    ReportWorkshop,
)
from courses.validation.results import RoundResults
from courses.validation.revisions import revision_changes
from lms import access


def _person(user) -> str:
    if user is None:
        return "—"
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _rows(position: int, by_grouping: dict[Grouping, RoundResults]) -> tuple:
    site_results = by_grouping[Grouping.SITE]
    label = labeller(site_results)
    overall = site_results.items[position].figures.overall

    def row(name, group):
        return ReportFigureRow(
            group=name,
            respondents=count_text(group.respondents),
            cells=tuple((mean_text(c.mean), share_text(c.share_high)) for c in group.cells),
        )

    rows = [row("Todas las personas", overall)]
    heads = {Grouping.SITE: "Sede", Grouping.SEX: "Sexo", Grouping.GENERATION: "Generación"}
    for grouping, results in by_grouping.items():
        for group in results.items[position].figures.groups:
            rows.append(row(f"{heads[grouping]}: {label(grouping, group.key)}", group))
    return tuple(rows)


def _people(table) -> ReportPeople:
    return ReportPeople(
        columns=tuple(table.columns),
        rows=tuple((name, tuple(values), total) for name, values, total in table.rows),
        totals=tuple(table.totals),
        total=table.total,
    )


def _findings(round_: ValidationRound, actor) -> tuple[ReportFinding, ...]:
    findings = (
        round_.findings.all() if actor is None else access.readable(actor, round_.findings.all())
    )
    citations = Prefetch(
        "answers", queryset=FindingRevision.objects.select_related("revision__user", "page")
    )
    out = []
    for finding in (
        findings.prefetch_related("items", citations).select_related("decided_by").order_by("pk")
    ):
        answers = []
        for citation in finding.answers.all():
            changes = revision_changes(citation.revision)
            page = citation.page
            answers.append(
                ReportAnswer(
                    page_title=page.title,
                    revision_id=citation.revision_id,
                    created_at=timezone.localtime(citation.revision.created_at),
                    author=_person(citation.revision.user),
                    changed=tuple(change.label for change in changes.changes),
                    published=bool(
                        page.live_revision_id and page.live_revision_id >= citation.revision_id
                    ),
                )
            )
        decided = ""
        if finding.decided_at:
            decided = (
                f"{_person(finding.decided_by)}, {timezone.localtime(finding.decided_at):%Y-%m-%d}"
            )
        out.append(
            ReportFinding(
                title=finding.title,
                items=tuple(item.code for item in finding.items.all()),
                tags=tuple(finding.tag_labels()),
                evidence=finding.evidence,
                decision=finding.get_decision_display() if finding.decision else "sin decidir",
                reason=finding.decision_reason,
                decided=decided,
                answers=tuple(answers),
            )
        )
    return tuple(out)


def report_content(
    round_: ValidationRound,
    by_grouping: dict[Grouping, RoundResults],
    *,
    actor: AbstractBaseUser | None,
) -> ReportContent:
    with translation.override("es"):
        return _content(round_, by_grouping, actor)


def _content(round_, by_grouping, actor) -> ReportContent:
    results = by_grouping[Grouping.SITE]
    participants = round_.participants.all()
    if actor is not None:
        participants = access.readable(actor, participants)
    consents = Counter(
        ValidationConsent.objects.filter(participant__in=participants).values_list(
            "decision", flat=True
        )
    )
    site = access.coordination_scope(actor).site() if actor is not None else None
    course = round_.course
    revision = round_.course_revision
    items = []
    for position, item_result in enumerate(results.items):
        item = item_result.item
        items.append(
            ReportItem(
                code=item.code,
                title=item.title,
                kind=item.get_kind_display(),
                rows=_rows(position, by_grouping),
                verdicts=tuple(
                    (s.name, verdicts_text(item_result.verdicts.get(s.pk, Counter())))
                    for s in results.sites
                ),
            )
        )
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("validation:results", args=[round_.pk])
    return ReportContent(
        round_id=round_.pk,
        round_title=round_.title,
        status=round_.get_status_display(),
        course_title=course.title,
        course_code=course.code,
        curriculum_version=round_.curriculum_version,
        revision_id=revision.pk,
        revision_created_at=timezone.localtime(revision.created_at),
        published_version=course.curriculum_version,
        published_revision_id=course.live_revision_id,
        sites=tuple(s.name for s in results.sites),
        cems=tuple(round_.cems.order_by("site__name", "name").values_list("name", flat=True)),
        starts_on=round_.starts_on,
        ends_on=round_.ends_on,
        consent_version=round_.consent_version,
        scope=(_("only %(site)s") % {"site": site.name} if site else _("every site of the round")),
        participants=participants.count(),
        consents=(
            f"{consents[ValidationConsent.Decision.ACCEPTED]} aceptaron · "
            f"{consents[ValidationConsent.Decision.REFUSED]} prefirieron no participar"
        ),
        respondents=results.respondents,
        paper=results.paper,
        feedback_people=_people(people_table(results.feedback_by_group, results.sites)),
        workshop_people=_people(people_table(results.workshop_by_group, results.sites)),
        workshops=tuple(
            ReportWorkshop(
                site=row.workshop.site.name,
                held_on=row.workshop.held_on,
                place=row.workshop.place,
                headcount=headcount_text(row.headcount),
                total=row.total,
            )
            for row in results.workshops
        ),
        items=tuple(items),
        heat_sites=tuple(s.name for s in results.sites),
        heat=tuple(
            (
                f"{r.item.code} · {r.item.title}",
                tuple(
                    (
                        results.heat[(r.item.pk, s.pk)].mean,
                        mean_text(results.heat[(r.item.pk, s.pk)].mean),
                    )
                    for s in results.sites
                ),
            )
            for r in results.items
        ),
        findings=_findings(round_, actor),
        produced_at=timezone.localtime(timezone.now()),
        produced_by=_person(actor) if actor is not None else "manage.py export_validation",
        base_url=settings.BASE_URL,
        results_url=settings.BASE_URL + path,
    )
