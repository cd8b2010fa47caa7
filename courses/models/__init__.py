from courses.models.curriculum import CoursePage, CoursePageTag, CurriculumIndexPage, SessionPage
from courses.models.delivery import (
    AttendanceRecord,
    AttendanceSettings,
    Cohort,
    Enrollment,
    SessionDelivery,
)
from courses.models.offline import SheetReceipt
from courses.validation.models import (
    FindingRevision,
    ValidationAnswer,
    ValidationConsent,
    ValidationFeedback,
    ValidationFinding,
    ValidationItem,
    ValidationParticipant,
    ValidationRound,
    ValidationWorkshop,
    WorkshopAssessment,
    WorkshopHeadcount,
)

__all__ = [
    "AttendanceRecord",
    "AttendanceSettings",
    "Cohort",
    "CoursePage",
    "CoursePageTag",
    "CurriculumIndexPage",
    "Enrollment",
    "SessionDelivery",
    "SessionPage",
    "SheetReceipt",
    "FindingRevision",
    "ValidationAnswer",
    "ValidationConsent",
    "ValidationFeedback",
    "ValidationFinding",
    "ValidationItem",
    "ValidationParticipant",
    "ValidationRound",
    "ValidationWorkshop",
    "WorkshopAssessment",
    "WorkshopHeadcount",
]
