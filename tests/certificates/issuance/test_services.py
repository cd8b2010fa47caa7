import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from certificates.issuance.selectors import cohort_eligibility
from certificates.issuance.services import certificate_revoke, certificates_issue, cohort_close
from certificates.models import Certificate
from courses.models import Enrollment, SessionDelivery
from courses.services.delivery import enrollment_set_status
from lms.models import AuditLogEntry
from tests.factories import EnrollmentFactory, SessionPageFactory, hold_sessions


@pytest.fixture
def ten_sessions(course):
    return [SessionPageFactory(parent=course, number=n) for n in range(1, 11)]


@pytest.fixture
def cohort(cohort_setup, ten_sessions):
    return cohort_setup["cohort"]


def eligibility_of(cohort, enrollment):
    return next(e for e in cohort_eligibility(cohort) if e.enrollment.pk == enrollment.pk)


def test_exactly_80_percent_is_eligible_79_is_not(cohort, ten_sessions):
    eight, seven = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    hold_sessions(
        cohort,
        ten_sessions,
        {eight: list("PPPPPPPLAA"), seven: list("PPPPPPPAAA")},
        days_ago_start=80,
    )
    assert eligibility_of(cohort, eight).eligible
    not_yet = eligibility_of(cohort, seven)
    assert not not_yet.eligible
    assert "7" in not_yet.reasons[0] and "80" in not_yet.reasons[0]


def test_future_sessions_count_in_the_denominator(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    # Seven held and attended, three still to come: 7/10 = 70%, not yet eligible.
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPP") + [None] * 3}, days_ago_start=45)
    assert (
        SessionDelivery.objects.filter(cohort=cohort, scheduled_at__gt=timezone.now()).count() == 3
    )
    result = eligibility_of(cohort, activist)
    assert result.attendance.scheduled == 10 and result.attendance.attended == 7
    assert not result.eligible


def test_excused_absences_do_not_count_unless_the_course_says_so(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPEEA")}, days_ago_start=80)
    assert not eligibility_of(cohort, activist).eligible
    course = cohort.course
    course.counted_statuses = "PLE"
    course.save()
    cohort.refresh_from_db()
    assert eligibility_of(cohort, activist).eligible


def test_cancelled_sessions_are_not_scheduled_sessions(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    deliveries = hold_sessions(
        cohort, ten_sessions, {activist: list("PPPPPPPPAA")}, days_ago_start=80
    )
    SessionDelivery.objects.filter(pk=deliveries[0].pk).update(status="cancelled")
    result = eligibility_of(cohort, activist)
    assert result.attendance.scheduled == 9 and result.attendance.attended == 7
    assert not result.eligible  # 7/9 = 77.8%


def test_withdrawn_activists_are_not_eligible(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPPPP")}, days_ago_start=80)
    enrollment_set_status(actor=None, enrollment=activist, status=Enrollment.Status.WITHDRAWN)
    assert not eligibility_of(cohort, activist).eligible


def test_required_session_must_be_attended(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("APPPPPPPPP")}, days_ago_start=80)
    course = cohort.course
    course.required_sessions.set([ten_sessions[0]])
    course.save()
    result = eligibility_of(cohort, activist)
    assert not result.eligible and ten_sessions[0].title in result.reasons[0]


def test_bulk_issuance_is_idempotent_and_audited(
    cohort, ten_sessions, cohort_setup, django_capture_on_commit_callbacks
):
    people = [EnrollmentFactory(cohort=cohort) for _ in range(4)]
    marks = {p: list("PPPPPPPPPP") for p in people[:3]} | {people[3]: list("AAAAAAAAAA")}
    marks |= {e: list("AAAAAAAAAA") for e in cohort_setup["enrollments"]}
    hold_sessions(cohort, ten_sessions, marks, days_ago_start=80)
    with django_capture_on_commit_callbacks(execute=True):
        issued = certificates_issue(actor=cohort_setup["trainer"], cohort=cohort)
    assert len(issued) == 3
    assert certificates_issue(actor=cohort_setup["trainer"], cohort=cohort) == []
    assert Certificate.objects.count() == 3
    assert all(c.pdf for c in Certificate.objects.all())  # eager tasks rendered them
    assert AuditLogEntry.objects.filter(content_type__model="certificate").count() == 3
    assert Enrollment.objects.filter(status="completed").count() == 3
    assert len(mail.outbox) == 3


def test_frozen_row_renders_a_pdf_with_name_course_hours_and_code(
    cohort, ten_sessions, django_capture_on_commit_callbacks
):
    activist = EnrollmentFactory(cohort=cohort)
    activist.activist.first_name, activist.activist.last_name = "María Ñusta", "Güémez Íñiguez"
    activist.activist.save()
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPPPP")}, days_ago_start=80)
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = certificates_issue(actor=None, cohort=cohort)
    certificate.refresh_from_db()
    course = cohort.course
    course.title = "Un título cambiado después"
    course.save()
    text = PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    assert "María Ñusta Güémez Íñiguez" in text
    assert certificate.course_title in text and "cambiado" not in text
    assert str(certificate.credit_hours) in text
    assert certificate.code in text


def test_closing_a_cohort_issues_certificates(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPPPP")}, days_ago_start=80)
    issued = cohort_close(actor=None, cohort=cohort)
    cohort.refresh_from_db()
    assert cohort.status == "closed"
    assert [c.enrollment_id for c in issued] == [activist.pk]


def test_revocation_keeps_the_record_and_allows_no_second_valid(
    cohort, ten_sessions, cohort_setup, django_capture_on_commit_callbacks
):
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPPPP")}, days_ago_start=80)
    (certificate,) = certificates_issue(actor=None, cohort=cohort)
    with pytest.raises(ValidationError):
        certificate_revoke(actor=cohort_setup["trainer"], certificate=certificate, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(actor=cohort_setup["trainer"], certificate=certificate, reason="Error")
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_reason == "Error"
    text = PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    assert "REVOCADO" in text
    entry = AuditLogEntry.objects.filter(content_type__model="certificate", action="update").get()
    assert entry.before["status"] == "valid" and entry.after["status"] == "revoked"
    # Bulk issuance does not undo a revocation; issuing that person again is deliberate.
    assert certificates_issue(actor=None, cohort=cohort) == []
    reissued = certificates_issue(actor=None, cohort=cohort, enrollment_ids=[activist.pk])
    assert len(reissued) == 1
    assert Certificate.objects.filter(enrollment=activist, status="valid").count() == 1


def test_database_refuses_two_valid_certificates(cohort, ten_sessions):
    from django.db import IntegrityError, transaction

    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPPPP")}, days_ago_start=80)
    (certificate,) = certificates_issue(actor=None, cohort=cohort)
    duplicate = Certificate.objects.get(pk=certificate.pk)
    duplicate.pk, duplicate.code = None, "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_issue_date_and_dates_are_frozen(cohort, ten_sessions):
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, ten_sessions, {activist: list("PPPPPPPPPP")}, days_ago_start=80)
    (certificate,) = certificates_issue(actor=None, cohort=cohort)
    cohort.end_date = cohort.end_date + dt.timedelta(days=30)
    cohort.save()
    certificate.refresh_from_db()
    assert certificate.cohort_end != cohort.end_date
    assert certificate.issued_on == timezone.localdate()


def test_required_questionnaire_blocks_unless_the_activist_declined(cohort, ten_sessions):
    from assessments.questionnaires.services import research_consent_decide

    answered_nothing, declined = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    hold_sessions(
        cohort,
        ten_sessions,
        {answered_nothing: list("PPPPPPPPPP"), declined: list("PPPPPPPPPP")},
        days_ago_start=80,
    )
    course = cohort.course
    course.require_pre_questionnaire = True
    course.save()
    research_consent_decide(enrollment=declined, accepted=False)
    assert not eligibility_of(cohort, answered_nothing).eligible
    assert eligibility_of(cohort, declined).eligible
