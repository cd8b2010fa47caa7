"""Findings of a round, the team's decision on each, and the curriculum revisions that answer
them.

A finding names the sessions or concepts it concerns, its evidence (ratings, comments,
workshops) and tags; its decision (adopt, adapt, reject) needs a reason. A later revision of the
course, or of one of its sessions, cites the findings it answers (from the curriculum editor,
:mod:`courses.validation.page_forms`): the finding then links to that Wagtail revision.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision

from courses.models import CoursePage, SessionPage
from courses.validation.models import (
    FindingRevision,
    ValidationFinding,
    ValidationItem,
    ValidationRound,
    ValidationWorkshop,
)
from lms import access
from lms.audit import audit_record, model_snapshot
from lms.models import AuditLogEntry

FINDING_M2M = ("items", "workshops")
#: Decisions that a change of the curriculum answers.
ANSWERED_BY_A_REVISION = frozenset(
    {ValidationFinding.Decision.ADOPT, ValidationFinding.Decision.ADAPT}
)


def _site(round_: ValidationRound) -> int | None:
    site_ids = list(round_.sites.values_list("pk", flat=True))
    return site_ids[0] if len(site_ids) == 1 else None


def _check(round_, *, title, items, workshops, evidence, tags, decision, decision_reason):
    problems = []
    if not title.strip():
        problems.append(_("A finding needs a title."))
    if not evidence.strip():
        problems.append(_("Say what the finding rests on: ratings, comments or workshops."))
    if any(item.round_id != round_.pk for item in items):
        problems.append(_("Some sessions or concepts chosen are not of this round."))
    if not items:
        problems.append(_("Choose the sessions or concepts the finding is about."))
    if any(workshop.round_id != round_.pk for workshop in workshops):
        problems.append(_("Some workshops chosen are not of this round."))
    if set(tags) - set(ValidationFinding.Tag.values):
        problems.append(_("Some tags do not exist."))
    if decision and decision not in ValidationFinding.Decision.values:
        problems.append(_("A decision is adopt, adapt or reject."))
    if decision and not decision_reason.strip():
        problems.append(_("A decision needs its reason."))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def finding_save(
    *,
    actor: AbstractBaseUser,
    round: ValidationRound,
    finding: ValidationFinding | None = None,
    title: str,
    items: Iterable[ValidationItem],
    workshops: Iterable[ValidationWorkshop] = (),
    evidence: str,
    tags: Iterable[str] = (),
    decision: str = "",
    decision_reason: str = "",
) -> ValidationFinding:
    """Create a finding (`finding` None) or change one, with its decision; audit-logged. The
    decision keeps who took it and when, until it changes."""
    if not access.may_manage(actor, round):
        raise ValidationError(_("Only the coordinators of the round's sites record its findings."))
    items, workshops, tags = list(items), list(workshops), list(dict.fromkeys(tags))
    _check(
        round,
        title=title,
        items=items,
        workshops=workshops,
        evidence=evidence,
        tags=tags,
        decision=decision,
        decision_reason=decision_reason,
    )
    if finding is None:
        finding, before = ValidationFinding(round=round, created_by=actor), None
    else:
        finding = ValidationFinding.objects.select_for_update().get(pk=finding.pk, round=round)
        before = model_snapshot(finding, many_to_many=FINDING_M2M)
    if (decision, decision_reason.strip()) != (finding.decision, finding.decision_reason):
        finding.decided_by = actor if decision else None
        finding.decided_at = timezone.now() if decision else None
    finding.title, finding.evidence, finding.tags = title.strip(), evidence.strip(), tags
    finding.decision, finding.decision_reason = decision, decision_reason.strip()
    finding.full_clean()
    finding.save()
    finding.items.set(items)
    finding.workshops.set(workshops)
    after = model_snapshot(finding, many_to_many=FINDING_M2M)
    if after != before:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE if before else AuditLogEntry.Action.CREATE,
            instance=finding,
            site=_site(round),
            before=before,
            after=after,
        )
    return finding


def _course_of(page: Page) -> CoursePage | None:
    page = page.specific
    if isinstance(page, CoursePage):
        return page
    if isinstance(page, SessionPage):
        parent = page.get_parent()
        return parent.specific if parent is not None else None
    return None


@transaction.atomic
def finding_revision_cite(
    *, actor: AbstractBaseUser | None, finding: ValidationFinding, revision: Revision
) -> FindingRevision:
    """Link a finding to the revision of the course or of one of its sessions that answers
    it. The revision is later than the one the round validated; the finding was decided adopt
    or adapt. Citing the same revision again changes nothing."""
    finding = ValidationFinding.objects.select_related("round__course_revision").get(pk=finding.pk)
    page = revision.content_object if isinstance(revision.content_object, Page) else None
    problems = []
    course = _course_of(page) if page is not None else None
    if course is None or course.pk != finding.round.course_id:
        problems.append(_("The revision is not of the validated course or one of its sessions."))
    if revision.created_at <= finding.round.course_revision.created_at:
        problems.append(_("The revision is not later than the version the round validated."))
    if finding.decision not in ANSWERED_BY_A_REVISION:
        problems.append(_("Only a finding decided “adopt” or “adapt” is answered by a change."))
    if problems:
        raise ValidationError(problems)
    citation, created = FindingRevision.objects.get_or_create(
        finding=finding, revision=revision, defaults={"page": page, "cited_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.CREATE,
            instance=citation,
            site=_site(finding.round),
            after=model_snapshot(citation),
        )
    return citation


@transaction.atomic
def page_revision_cites(
    *, actor: AbstractBaseUser, revision: Revision, findings: Iterable[ValidationFinding]
) -> list[FindingRevision]:
    """The curriculum editor's save: `revision` cites every finding chosen in its form that the
    editor may read. All or none."""
    findings = list(
        access.readable(actor, ValidationFinding).filter(pk__in=[f.pk for f in findings])
    )
    return [finding_revision_cite(actor=actor, finding=f, revision=revision) for f in findings]
