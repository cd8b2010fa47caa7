import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import AttendanceRecord, Cohort, SessionDelivery
from courses.selectors.delivery import attendance_summaries
from courses.services.attendance import SheetConflict, absence_announce, attendance_sheet_save
from courses.services.delivery import cohort_schedule_generate
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import EnrollmentFactory, SessionDeliveryFactory, person


@pytest.fixture
def delivery(cohort_setup):
    return SessionDeliveryFactory(
        cohort=cohort_setup["cohort"], session=cohort_setup["sessions"][0]
    )


def sheet(enrollments, status="P"):
    return {e.pk: status for e in enrollments}


def test_saving_the_same_sheet_twice_gives_one_set_of_records(cohort_setup, delivery):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    first = attendance_sheet_save(actor=trainer, delivery=delivery, marks=sheet(enrollments))
    audit_count = AuditLogEntry.objects.count()
    second = attendance_sheet_save(actor=trainer, delivery=delivery, marks=sheet(enrollments))
    assert (first.created, first.changed) == (3, 0)
    assert (second.created, second.changed, second.unchanged) == (0, 0, 3)
    assert AttendanceRecord.objects.filter(delivery=delivery).count() == 3
    assert AuditLogEntry.objects.count() == audit_count
    delivery.refresh_from_db()
    assert delivery.status == SessionDelivery.Status.HELD


def test_a_later_edit_is_saved_and_audited_with_before_and_after(cohort_setup, delivery):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    attendance_sheet_save(actor=trainer, delivery=delivery, marks=sheet(enrollments))
    marks = sheet(enrollments)
    marks[enrollments[0].pk] = "L"
    result = attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks)
    assert result.changed == 1
    record = AttendanceRecord.objects.get(delivery=delivery, enrollment=enrollments[0])
    assert record.status == "L"
    entry = AuditLogEntry.objects.get(
        object_id=str(record.pk), action="update", content_type__model="attendancerecord"
    )
    assert entry.before["status"] == "P" and entry.after["status"] == "L"
    assert entry.actor == trainer
    assert entry.site_id == cohort_setup["cem"].site_id


def test_an_invalid_sheet_saves_nothing(cohort_setup, delivery):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    marks = sheet(enrollments)
    marks[enrollments[1].pk] = "X"
    with pytest.raises(ValidationError):
        attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks)
    assert not AttendanceRecord.objects.exists()
    delivery.refresh_from_db()
    assert delivery.status == SessionDelivery.Status.SCHEDULED


def test_enrollment_of_another_cohort_is_refused(cohort_setup, delivery, course):
    from tests.factories import CohortFactory

    other = EnrollmentFactory(cohort=CohortFactory(course=course, cem=cohort_setup["cem"]))
    with pytest.raises(ValidationError):
        attendance_sheet_save(
            actor=cohort_setup["trainer"], delivery=delivery, marks={other.pk: "P"}
        )
    assert not AttendanceRecord.objects.exists()


def test_future_sessions_take_no_attendance(cohort_setup):
    future = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][1],
        scheduled_at=timezone.now() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError):
        attendance_sheet_save(
            actor=cohort_setup["trainer"],
            delivery=future,
            marks=sheet(cohort_setup["enrollments"]),
        )


def test_attendance_percent_counts_future_sessions_and_ignores_cancelled(cohort_setup):
    cohort, sessions = cohort_setup["cohort"], cohort_setup["sessions"]
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    now = timezone.now()
    held = SessionDeliveryFactory(
        cohort=cohort, session=sessions[0], scheduled_at=now - dt.timedelta(days=14)
    )
    excused = SessionDeliveryFactory(
        cohort=cohort, session=sessions[1], scheduled_at=now - dt.timedelta(days=7)
    )
    SessionDeliveryFactory(
        cohort=cohort,
        session=sessions[2],
        scheduled_at=now - dt.timedelta(days=3),
        status=SessionDelivery.Status.CANCELLED,
    )
    SessionDeliveryFactory(
        cohort=cohort, session=sessions[3], scheduled_at=now + dt.timedelta(days=7)
    )
    attendance_sheet_save(actor=trainer, delivery=held, marks=sheet(enrollments, "P"))
    attendance_sheet_save(actor=trainer, delivery=excused, marks=sheet(enrollments, "E"))
    summary = attendance_summaries(cohort)[0]
    # 3 scheduled (cancelled excluded, future included); P counts, E does not: 1/3.
    assert summary.scheduled == 3
    assert summary.attended == 1
    assert summary.percent == pytest.approx(100 / 3)
    assert summary.points == 3  # P=2 + E=1
    assert summary.needed_for(80) == 2  # ceil(3 × 0.8) = 3 sessions, 1 attended
    assert summary.remaining == 1


def test_two_consecutive_absences_flag_the_enrollment(cohort_setup):
    cohort, sessions = cohort_setup["cohort"], cohort_setup["sessions"]
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    now = timezone.now()
    deliveries = [
        SessionDeliveryFactory(
            cohort=cohort, session=s, scheduled_at=now - dt.timedelta(days=10 - i)
        )
        for i, s in enumerate(sessions[:3])
    ]
    absent_one = enrollments[0]
    for delivery, status in zip(deliveries, ["P", "A", "A"], strict=True):
        marks = sheet(enrollments, "P")
        marks[absent_one.pk] = status
        attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks)
    flags = {s.enrollment.pk: s.flagged for s in attendance_summaries(cohort)}
    assert flags[absent_one.pk] is True
    assert sum(flags.values()) == 1


def test_activist_announces_an_absence_as_excused(cohort_setup):
    enrollment = cohort_setup["enrollments"][0]
    upcoming = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][3],
        scheduled_at=timezone.now() + dt.timedelta(days=2),
    )
    record = absence_announce(activist=enrollment.activist, delivery=upcoming, note="Viaje")
    assert record.status == "E" and record.reported_by_activist
    assert AuditLogEntry.objects.filter(object_id=str(record.pk), action="create").exists()


def test_schedule_generation_is_weekly_and_fills_only_gaps(cohort_setup):
    cohort, trainer = cohort_setup["cohort"], cohort_setup["trainer"]
    first = timezone.now().replace(microsecond=0)
    created = cohort_schedule_generate(actor=trainer, cohort=cohort, first_at=first)
    assert len(created) == 4
    assert [d.scheduled_at - first for d in created] == [dt.timedelta(days=7 * i) for i in range(4)]
    assert all(list(d.facilitators.all()) == [trainer] for d in created)
    assert cohort_schedule_generate(actor=trainer, cohort=cohort, first_at=first) == []
    assert (
        AuditLogEntry.objects.filter(action="create", content_type__model="sessiondelivery").count()
        == 4
    )


# A closed group, provenance, client UUIDs and conflicts ----------------------------------------


def test_a_closed_group_takes_no_attendance(cohort_setup, delivery):
    cohort = cohort_setup["cohort"]
    cohort.status = Cohort.Status.CLOSED
    cohort.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused:
        attendance_sheet_save(
            actor=cohort_setup["trainer"],
            delivery=delivery,
            marks=sheet(cohort_setup["enrollments"]),
        )
    assert refused.value.code == "cohort_closed"
    assert not AttendanceRecord.objects.exists()


def test_a_sheet_from_paper_says_so_in_the_audit_log_with_the_device_time(cohort_setup, delivery):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    written = timezone.now() - dt.timedelta(hours=3)
    uuids = {e.pk: uuid.uuid4() for e in enrollments}
    attendance_sheet_save(
        actor=trainer,
        delivery=delivery,
        marks=sheet(enrollments),
        mark_uuids=uuids,
        origin=AuditLogEntry.Origin.PAPER,
        device_time=written,
    )
    entries = AuditLogEntry.objects.filter(content_type__model="attendancerecord")
    assert entries.count() == 3
    assert {(e.origin, e.device_time) for e in entries} == {("paper", written)}
    stored = dict(delivery.attendance.values_list("enrollment_id", "client_uuid"))
    assert stored == uuids


def test_marks_someone_else_changed_since_the_sheet_was_read_are_not_overwritten(
    cohort_setup, delivery
):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    read_at = timezone.now()
    coordinator = person(Role.COORDINATOR)
    attendance_sheet_save(
        actor=coordinator, delivery=delivery, marks={enrollments[0].pk: "E", enrollments[1].pk: "P"}
    )
    marks = sheet(enrollments)
    marks[enrollments[0].pk] = "A"
    with pytest.raises(SheetConflict) as conflict:
        attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks, seen_at=read_at)
    # Only the mark that differs is disputed: the coordinator's "P" agrees with the sheet.
    [disputed] = conflict.value.conflicts
    assert disputed.record.enrollment_id == enrollments[0].pk
    assert (disputed.record.status, disputed.status) == ("E", "A")
    assert disputed.record.recorded_by == coordinator
    assert dict(delivery.attendance.values_list("enrollment_id", "status")) == {
        enrollments[0].pk: "E",
        enrollments[1].pk: "P",
    }
    # Read after the coordinator's change, the same sheet is saved.
    result = attendance_sheet_save(
        actor=trainer, delivery=delivery, marks=marks, seen_at=timezone.now()
    )
    assert (result.created, result.changed, result.unchanged) == (1, 1, 1)


def test_ones_own_later_marks_and_announced_absences_are_no_conflict(cohort_setup, delivery):
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    read_at = timezone.now()
    attendance_sheet_save(actor=trainer, delivery=delivery, marks={enrollments[0].pk: "L"})
    AttendanceRecord.objects.create(
        delivery=delivery,
        enrollment=enrollments[1],
        status="E",
        recorded_by=enrollments[1].activist,
        reported_by_activist=True,
    )
    result = attendance_sheet_save(
        actor=trainer, delivery=delivery, marks=sheet(enrollments, "A"), seen_at=read_at
    )
    assert result.changed == 2
    assert set(delivery.attendance.values_list("status", flat=True)) == {"A"}
