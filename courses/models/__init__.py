from courses.cascade.models import CommunityGroup, District, ReplicaAttendee, ReplicaSession
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
    "CommunityGroup",
    "CoursePage",
    "CoursePageTag",
    "CurriculumIndexPage",
    "District",
    "Enrollment",
    "ReplicaAttendee",
    "ReplicaSession",
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
