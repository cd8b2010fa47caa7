"""The completion rule: its requirements read once for a set of cohorts, then judged per
enrollment. Every screen that speaks of completion reads it.

Reading costs a fixed number of queries whatever the number of cohorts, activists or sessions:
the shared inputs (enrollments, the non-cancelled deliveries, attendance marks) once, then what
each requirement loads for all of them (required sessions, questionnaires and consents…).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from certificates.completion.inputs import CompletionInputs
from certificates.completion.requirements import REQUIREMENTS, AttendanceCheck, Check, Requirement
from courses.models import AttendanceSettings, Cohort, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import (
    AttendanceSummary,
    attendance_summaries_batch,
    deliveries_by_cohort,
)


@dataclass(frozen=True)
class EnrollmentCompletion:
    """The rule applied to one enrollment: one check per requirement, in the rule's order."""

    enrollment: Enrollment
    checks: dict[str, Check]

    @property
    def eligible(self) -> bool:
        return all(check.met for check in self.checks.values())

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why not eligible yet (empty when eligible)."""
        return tuple(reason for check in self.checks.values() for reason in check.reasons)

    @property
    def attendance(self) -> AttendanceSummary:
        return self.checks["attendance"].attendance

    @property
    def attendance_check(self) -> AttendanceCheck:
        return self.checks["attendance"]

    @property
    def progress(self) -> tuple[str, ...]:
        """What the activist reads on her own screens, requirement by requirement."""
        return tuple(line for check in self.checks.values() for line in check.progress)


@dataclass(frozen=True)
class CohortCompletion:
    cohort: Cohort
    rule: CompletionRule
    inputs: CompletionInputs
    enrollments: list[EnrollmentCompletion]

    @property
    def sentences(self) -> tuple[str, ...]:
        """The rule of the cohort's course, in the active language."""
        return self.rule.sentences(self.cohort.course, self.inputs)

    def of(self, enrollment: Enrollment) -> EnrollmentCompletion:
        return next(c for c in self.enrollments if c.enrollment.pk == enrollment.pk)


class CompletionRule:
    """The certificate's requirements, applied together."""

    def __init__(self, requirements: Sequence[Requirement] = REQUIREMENTS):
        self.requirements = tuple(requirements)

    def read(
        self,
        cohorts: Iterable[Cohort],
        *,
        enrollments: Iterable[Enrollment] | None = None,
        deliveries: dict[int, list[SessionDelivery]] | None = None,
        rules: AttendanceSettings | None = None,
        courses: Iterable[CoursePage] = (),
    ) -> CompletionInputs:
        """Everything the requirements need for `cohorts` (their course loaded with them).

        Callers that already hold the enrollments (any subset of the cohorts'), or the
        cohorts' non-cancelled deliveries in date order, pass them to save their queries.
        Enrollments are read with their profiles when not given."""
        cohorts = {c.pk: c for c in cohorts}
        if enrollments is None:
            enrollments = list(
                Enrollment.objects.filter(cohort_id__in=list(cohorts))
                .select_related("activist__profile")
                .order_by("activist__last_name", "activist__first_name", "pk")
            )
            records = Q(enrollment__cohort_id__in=list(cohorts))
        else:
            enrollments = list(enrollments)
            records = Q(enrollment_id__in=[e.pk for e in enrollments])
        if deliveries is None:
            deliveries = deliveries_by_cohort(list(cohorts), related=("session",))
        attendance = {}
        if enrollments:
            attendance = attendance_summaries_batch(
                enrollments,
                deliveries,
                counted={pk: frozenset(c.course.counted_statuses) for pk, c in cohorts.items()},
                rules=rules or AttendanceSettings.load(),
                records=records,
            )
        inputs = CompletionInputs(
            courses={c.course_id: c.course for c in cohorts.values()} | {c.pk: c for c in courses},
            cohorts=cohorts,
            enrollments=enrollments,
            deliveries=deliveries,
            attendance=attendance,
        )
        for requirement in self.requirements:
            inputs.loaded[requirement.code] = requirement.load(inputs)
        return inputs

    def judge(self, inputs: CompletionInputs) -> list[EnrollmentCompletion]:
        """Every enrollment of `inputs`, in their order."""
        return [
            EnrollmentCompletion(
                enrollment=enrollment,
                checks={
                    r.code: r.check(enrollment, inputs, inputs.loaded[r.code])
                    for r in self.requirements
                },
            )
            for enrollment in inputs.enrollments
        ]

    def sentences(self, course: CoursePage, inputs: CompletionInputs) -> tuple[str, ...]:
        """The rule as `course` sets it (a course of `inputs`), in the active language."""
        return tuple(
            sentence
            for r in self.requirements
            for sentence in r.sentences(course, inputs.loaded[r.code])
        )

    def describe(self, courses: Iterable[CoursePage]) -> dict[int, tuple[str, ...]]:
        """The rule of each course, without reading any cohort: course id → sentences."""
        inputs = self.read((), enrollments=(), deliveries={}, courses=courses)
        return {pk: self.sentences(course, inputs) for pk, course in inputs.courses.items()}

    def of_cohort(self, cohort: Cohort) -> CohortCompletion:
        inputs = self.read([cohort])
        judged = self.judge(inputs)
        return CohortCompletion(cohort=cohort, rule=self, inputs=inputs, enrollments=judged)

    def of_enrollments(
        self,
        enrollments: Sequence[Enrollment],
        *,
        cohorts: Iterable[Cohort] | None = None,
        deliveries: dict[int, list[SessionDelivery]] | None = None,
        rules: AttendanceSettings | None = None,
    ) -> dict[int, EnrollmentCompletion]:
        """The rule applied to enrollments of many cohorts, keyed by enrollment id. `cohorts`
        (with their course) default to the enrollments' own, loaded with them."""
        if cohorts is None:
            cohorts = {e.cohort_id: e.cohort for e in enrollments}.values()
        inputs = self.read(cohorts, enrollments=enrollments, deliveries=deliveries, rules=rules)
        return {c.enrollment.pk: c for c in self.judge(inputs)}


#: The rule of every course's certificate.
COMPLETION = CompletionRule()


def cohort_completion(cohort: Cohort) -> CohortCompletion:
    """Every enrollment of a cohort against its course's rule, in a fixed number of queries."""
    return COMPLETION.of_cohort(cohort)
