"""The validation of a course as evidence for accreditation: the rounds on its revisions, with
whom (people by site, sex and generation, in counts), the findings and decisions, and the
revisions that answered them. Read by staff and accreditors on the course page and in the
accreditor's audit, in a fixed number of queries whatever the number of courses and rounds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Sum

from courses.validation.models import (
    FindingRevision,
    ValidationFeedback,
    ValidationFinding,
    ValidationRound,
    ValidationWorkshop,
    WorkshopHeadcount,
)
from courses.validation.presenters import PeopleTable, people_table
from lms import access
from lms.roles import Role


@dataclass(frozen=True)
class FindingEvidence:
    finding: ValidationFinding
    answers: list[FindingRevision]

    def published(self, citation: FindingRevision) -> bool:
        live = citation.page.live_revision_id
        return bool(live and live >= citation.revision_id)


@dataclass(frozen=True)
class RoundEvidence:
    round: ValidationRound
    sites: list
    feedback_people: PeopleTable
    workshop_people: PeopleTable
    workshops: int
    findings: list[FindingEvidence]

    @property
    def decided(self) -> int:
        return sum(1 for f in self.findings if f.finding.decision)

    @property
    def answered(self) -> int:
        return sum(1 for f in self.findings if f.answers)


@dataclass(frozen=True)
class CourseValidation:
    course: object
    rounds: list[RoundEvidence]

    @property
    def published_is_validated(self) -> bool:
        """A closed round validated this revision of the course or an earlier one of it."""
        live = self.course.live_revision_id
        return bool(live) and any(
            r.round.status == ValidationRound.Status.CLOSED and r.round.course_revision_id <= live
            for r in self.rounds
        )


def validation_evidence(user: AbstractBaseUser, courses: Iterable) -> dict[int, CourseValidation]:
    """Course id → its validation, as the user may read it (figures added up)."""
    courses = {course.pk: course for course in courses}
    rounds = list(
        access.readable(user, ValidationRound.objects.filter(course_id__in=list(courses)))
        .select_related("course_revision")
        .prefetch_related("sites")
        .order_by("starts_on", "pk")
    )
    ids = [r.pk for r in rounds]
    feedback = defaultdict(Counter)
    rows = (
        access.in_figures(user, ValidationFeedback.objects.filter(round_id__in=ids))
        .values_list("round_id", "site_id", "sex", "generation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, site, sex, generation, n in rows:
        feedback[round_id][(site, sex, generation)] = n
    workshops = access.in_figures(user, ValidationWorkshop.objects.filter(round_id__in=ids))
    headcount = defaultdict(Counter)
    rows = (
        WorkshopHeadcount.objects.filter(workshop__in=workshops)
        .values_list("workshop__round_id", "workshop__site_id", "sex", "generation")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for round_id, site, sex, generation, n in rows:
        headcount[round_id][(site, sex, generation)] = n
    workshop_counts = dict(workshops.values_list("round_id").annotate(n=Count("pk")).order_by())
    findings = defaultdict(list)
    answers = Prefetch(
        "answers", queryset=FindingRevision.objects.select_related("revision__user", "page")
    )
    for finding in (
        access.readable(user, ValidationFinding.objects.filter(round_id__in=ids))
        .prefetch_related("items", answers)
        .order_by("pk")
    ):
        findings[finding.round_id].append(FindingEvidence(finding, list(finding.answers.all())))
    out = {pk: CourseValidation(course=course, rounds=[]) for pk, course in courses.items()}
    for r in rounds:
        sites = sorted(r.sites.all(), key=lambda s: s.name)
        out[r.course_id].rounds.append(
            RoundEvidence(
                round=r,
                sites=sites,
                feedback_people=people_table(feedback[r.pk], sites),
                workshop_people=people_table(headcount[r.pk], sites),
                workshops=workshop_counts.get(r.pk, 0),
                findings=findings[r.pk],
            )
        )
    return out


def reads_validation_evidence(user: AbstractBaseUser) -> bool:
    """Staff, coordinators and accreditors; never an activist or a visitor."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or access.has_any_role(user, {Role.COORDINATOR, Role.ACCREDITOR})


def course_validation_context(user: AbstractBaseUser, course) -> dict:
    """The course page's share: its validation, for those who read it."""
    if not reads_validation_evidence(user):
        return {}
    return {"validation": validation_evidence(user, [course])[course.pk]}
