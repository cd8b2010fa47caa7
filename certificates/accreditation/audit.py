"""The completion audit: every course with the cohorts an accreditor or coordinator reads, and
their counts, in one query whatever the number of cohorts; and the validation of each course
with activists (:mod:`courses.validation.evidence`), in a fixed number more."""

from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from certificates.completion.rule import COMPLETION
from certificates.models import Certificate
from courses.models import Cohort, CoursePage, Enrollment, SessionDelivery
from courses.validation.evidence import CourseValidation, validation_evidence
from lms import access


def _count_per_cohort(queryset: QuerySet, cohort_path: str = "cohort") -> Coalesce:
    """A correlated COUNT(*) per cohort, so that several counts need no multiplying joins."""
    counted = (
        queryset.filter(**{cohort_path: OuterRef("pk")})
        .order_by()
        .values(cohort_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class CourseAudit:
    course: CoursePage
    cohorts: list[Cohort]  # annotated by completion_audit
    rule: tuple[str, ...]  # the course's completion rule, stated by the rule itself
    validation: CourseValidation


def completion_audit(user: AbstractBaseUser | AnonymousUser) -> list[CourseAudit]:
    """Each course with its cohorts visible to the user, in two queries. Every cohort carries
    `enrolled`, `completed`, `withdrawn`, `sessions_planned` (not cancelled), `sessions_held`,
    `sessions_cancelled`, `certificates_valid` and `certificates_revoked`."""
    S, E, C = SessionDelivery.Status, Enrollment.Status, Certificate.Status
    cohorts = (
        access.readable(user, Cohort.objects.select_related("course", "cem__site"))
        .annotate(
            enrolled=_count_per_cohort(Enrollment.objects.all()),
            completed=_count_per_cohort(Enrollment.objects.filter(status=E.COMPLETED)),
            withdrawn=_count_per_cohort(Enrollment.objects.filter(status=E.WITHDRAWN)),
            sessions_planned=_count_per_cohort(SessionDelivery.objects.exclude(status=S.CANCELLED)),
            sessions_held=_count_per_cohort(SessionDelivery.objects.filter(status=S.HELD)),
            sessions_cancelled=_count_per_cohort(
                SessionDelivery.objects.filter(status=S.CANCELLED)
            ),
            certificates_valid=_count_per_cohort(
                Certificate.objects.filter(status=C.VALID), "enrollment__cohort"
            ),
            certificates_revoked=_count_per_cohort(
                Certificate.objects.filter(status=C.REVOKED), "enrollment__cohort"
            ),
        )
        .order_by("course__title", "course_id", "-start_date", "name")
    )
    groups = [list(g) for _key, g in groupby(cohorts, key=lambda c: c.course_id)]
    rules = COMPLETION.describe(group[0].course for group in groups)
    validations = validation_evidence(user, [group[0].course for group in groups])
    return [
        CourseAudit(
            course=group[0].course,
            cohorts=group,
            rule=rules[group[0].course_id],
            validation=validations[group[0].course_id],
        )
        for group in groups
    ]
