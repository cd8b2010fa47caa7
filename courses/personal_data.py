"""What delivery holds about a person (enrollments with their consent, attendance with who
recorded it) and how it is erased. See :mod:`lms.datarights.registry`.

Curriculum validation (:mod:`courses.validation.personal_data`: participation, feedback) and
the cascade (:mod:`courses.cascade.personal_data`: community groups, replica sessions and their
photos) register their parts beside their models; importing them here registers them."""

from django.utils.translation import gettext_lazy as _

from courses.models import AttendanceRecord, Enrollment, SessionDelivery
from lms.datarights.registry import Erasure, PersonalData, register
from lms.datarights.subject import Subject


def _enrollments(subject: Subject) -> list[dict]:
    enrollments = (
        Enrollment.objects.filter(activist=subject.user)
        .select_related("cohort__cem__site", "cohort__course")
        .order_by("enrolled_on", "pk")
    )
    return [
        {
            "course": e.cohort.course.title,
            "cohort": e.cohort.name,
            "cem": e.cohort.cem.name,
            "site": e.cohort.cem.site.name,
            "roster_number": e.roster_code,
            "status": e.get_status_display(),
            "enrolled_on": e.enrolled_on,
            "completed_on": e.completed_on,
            "withdrawn_on": e.withdrawn_on,
            "consent_version": e.consent_version,
            "consent_given_at": e.consent_given_at,
            "consent_method": e.get_consent_method_display(),
        }
        for e in enrollments
    ]


def _enrollment_objects(subject: Subject):
    ids = list(Enrollment.objects.filter(activist=subject.user).values_list("pk", flat=True))
    return [
        (Enrollment, ids),
        (
            AttendanceRecord,
            AttendanceRecord.objects.filter(enrollment_id__in=ids).values_list("pk", flat=True),
        ),
    ]


register(
    PersonalData(
        key="courses.enrollments",
        title=_("Enrollments and consent"),
        order=200,
        fields={
            "course": _("Course"),
            "cohort": _("Cohort"),
            "cem": _("CEM"),
            "site": _("Site"),
            "roster_number": _("Roster number"),
            "status": _("Status"),
            "enrolled_on": _("Enrolled on"),
            "completed_on": _("Completed on"),
            "withdrawn_on": _("Withdrawn on"),
            "consent_version": _("Consent text version"),
            "consent_given_at": _("Consent given at"),
            "consent_method": _("Consent given by"),
        },
        collect=_enrollments,
        objects=_enrollment_objects,
    )
)


def _attendance(subject: Subject) -> list[dict]:
    records = (
        AttendanceRecord.objects.filter(enrollment__activist=subject.user)
        .select_related("delivery__session", "delivery__cohort", "recorded_by")
        .order_by("delivery__scheduled_at", "pk")
    )
    return [
        {
            "cohort": r.delivery.cohort.name,
            "session": r.delivery.session.title,
            "date": r.delivery.scheduled_at,
            "status": r.get_status_display(),
            "note": r.note,
            "announced": r.reported_by_activist,
            "recorded_by": r.recorded_by.get_full_name() or r.recorded_by.username,
            "recorded_at": r.recorded_at,
        }
        for r in records
    ]


def _attendance_erase(erasure: Erasure) -> dict[str, int]:
    """Marks stay (the cohort's records count them); notes about her go, and her name is taken
    out of the session notes of her cohorts. A note that names her by one common first name
    alone cannot be told from another person's: coordinators review those notes."""
    subject = erasure.subject
    notes = AttendanceRecord.objects.filter(enrollment__activist=subject.user).exclude(note="")
    # update(): the marks' recorded_at must keep saying when the mark was taken.
    erased_notes = notes.update(note="")
    deliveries = SessionDelivery.objects.filter(cohort__enrollments__activist=subject.user)
    scrubbed = subject.scrub_rows(deliveries.exclude(notes="").distinct(), ("notes",))
    return {"attendance_notes": erased_notes, "session_notes": scrubbed}


register(
    PersonalData(
        key="courses.attendance",
        title=_("Attendance"),
        order=210,
        fields={
            "cohort": _("Cohort"),
            "session": _("Session"),
            "date": _("Date"),
            "status": _("Attendance"),
            "note": _("Note"),
            "announced": _("Absence announced by you"),
            "recorded_by": _("Recorded by"),
            "recorded_at": _("Recorded at"),
        },
        collect=_attendance,
        erase=_attendance_erase,
    )
)


# The sub-domains' parts: the registry discovers ``courses.personal_data`` only.
from courses.cascade import personal_data as _cascade  # noqa: E402, F401
from courses.validation import personal_data as _validation  # noqa: E402, F401
