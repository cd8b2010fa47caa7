"""What the requirements of the completion rule judge from, read once for many cohorts."""

from dataclasses import dataclass, field

from courses.models import Cohort, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import AttendanceSummary


@dataclass
class CompletionInputs:
    """What the requirements judge from, read once for many cohorts."""

    courses: dict[int, CoursePage]
    cohorts: dict[int, Cohort]
    enrollments: list[Enrollment]
    deliveries: dict[int, list[SessionDelivery]]  # cohort id → scheduled and held, in order
    attendance: dict[int, AttendanceSummary]  # enrollment id → its marks over those deliveries
    loaded: dict[str, object] = field(default_factory=dict)  # requirement code → its facts

    def course_of(self, enrollment: Enrollment) -> CoursePage:
        return self.cohorts[enrollment.cohort_id].course
