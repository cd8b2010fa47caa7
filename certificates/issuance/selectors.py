"""Who is eligible for a certificate, and why not yet: the completion rule, with the
certificates already issued."""

from dataclasses import dataclass

from certificates.completion.rule import CohortCompletion, EnrollmentCompletion, cohort_completion
from certificates.models import Certificate
from courses.models import Cohort, Enrollment
from courses.selectors.delivery import AttendanceSummary


@dataclass(frozen=True)
class Eligibility:
    completion: EnrollmentCompletion
    certificate: Certificate | None  # the latest one issued, valid or revoked

    @property
    def enrollment(self) -> Enrollment:
        return self.completion.enrollment

    @property
    def attendance(self) -> AttendanceSummary:
        return self.completion.attendance

    @property
    def eligible(self) -> bool:
        return self.completion.eligible

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.completion.reasons

    @property
    def pending_pdf(self) -> bool:
        return bool(self.certificate and self.certificate.is_valid and not self.certificate.pdf)


def cohort_eligibility(
    cohort: Cohort, *, completion: CohortCompletion | None = None
) -> list[Eligibility]:
    """Eligibility of every enrollment of a cohort in a fixed number of queries (pass the
    cohort's `completion` when it is read already)."""
    completion = completion or cohort_completion(cohort)
    latest = {
        c.enrollment_id: c
        for c in Certificate.objects.filter(enrollment__cohort=cohort).order_by("created_at", "pk")
    }
    return [
        Eligibility(completion=row, certificate=latest.get(row.enrollment.pk))
        for row in completion.enrollments
    ]
