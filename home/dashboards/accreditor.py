"""The accreditor's section: completion per course over the cohorts she reads."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from certificates.models import Certificate
from courses.models import Cohort, CoursePage, Enrollment
from lms import access


@dataclass
class CourseCompletion:
    course_id: int
    title: str = ""
    code: str = ""
    cohorts: int = 0
    closed: int = 0
    enrolled: int = 0
    completed: int = 0
    withdrawn: int = 0
    valid: int = 0
    revoked: int = 0


@dataclass(frozen=True)
class AccreditorSection:
    courses: list[CourseCompletion]


def accreditor_section(user: AbstractBaseUser) -> AccreditorSection:
    """Completion evidence per course over the cohorts the user reads (every site, for an
    accreditor), in four grouped queries."""
    rows: dict[int, CourseCompletion] = {}

    def row(course_id: int) -> CourseCompletion:
        return rows.setdefault(course_id, CourseCompletion(course_id=course_id))

    closed = Q(status=Cohort.Status.CLOSED)
    for item in (
        access.readable(user, Cohort)
        .order_by()
        .values("course_id")
        .annotate(cohorts=Count("pk"), closed=Count("pk", filter=closed))
    ):
        target = row(item["course_id"])
        target.cohorts, target.closed = item["cohorts"], item["closed"]
    status = Enrollment.Status
    for item in (
        access.readable(user, Enrollment)
        .order_by()
        .values("cohort__course_id")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(status=status.COMPLETED)),
            withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
        )
    ):
        target = row(item["cohort__course_id"])
        target.enrolled, target.completed = item["enrolled"], item["completed"]
        target.withdrawn = item["withdrawn"]
    for item in (
        access.readable(user, Certificate)
        .order_by()
        .values("enrollment__cohort__course_id")
        .annotate(
            valid=Count("pk", filter=Q(status=Certificate.Status.VALID)),
            revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)),
        )
    ):
        target = row(item["enrollment__cohort__course_id"])
        target.valid, target.revoked = item["valid"], item["revoked"]
    for pk, title, code in CoursePage.objects.filter(pk__in=list(rows)).values_list(
        "pk", "title", "code"
    ):
        rows[pk].title, rows[pk].code = title, code
    return AccreditorSection(
        courses=sorted(rows.values(), key=lambda r: (r.title.casefold(), r.code))
    )
