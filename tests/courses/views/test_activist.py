"""An activist's own courses: schedule, own marks, progress and announcing an absence.

Text is checked on English URLs (/en/...) so that translating the msgids later does not break
the assertions."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import AttendanceRecord, Enrollment
from courses.services.attendance import attendance_sheet_save
from tests.factories import CohortFactory, EnrollmentFactory, SessionDeliveryFactory
from tests.helpers import en


@pytest.fixture
def course_run(cohort_setup, home_page):
    """Five sessions of which two are held (the activist present once, absent once)."""
    from tests.factories import SessionPageFactory

    cohort, sessions = cohort_setup["cohort"], cohort_setup["sessions"]
    sessions = [*sessions, SessionPageFactory(parent=cohort.course, number=5)]
    now = timezone.now()
    held = [
        SessionDeliveryFactory(
            cohort=cohort, session=s, scheduled_at=now - dt.timedelta(days=14 - 7 * i)
        )
        for i, s in enumerate(sessions[:2])
    ]
    upcoming = [
        SessionDeliveryFactory(
            cohort=cohort, session=s, scheduled_at=now + dt.timedelta(days=7 * (i + 1))
        )
        for i, s in enumerate(sessions[2:])
    ]
    me, other = cohort_setup["enrollments"][:2]
    for delivery, mine in zip(held, ["P", "A"], strict=True):
        marks = {e.pk: "P" for e in cohort_setup["enrollments"]}
        marks[me.pk] = mine
        marks[other.pk] = "L"
        attendance_sheet_save(actor=cohort_setup["trainer"], delivery=delivery, marks=marks)
    return {"me": me, "other": other, "held": held, "upcoming": upcoming, "cohort": cohort}


def test_my_courses_shows_course_group_trainers_schedule_and_progress(
    client, course_run, cohort_setup
):
    me = course_run["me"]
    client.force_login(me.activist)
    response = client.get(en("courses:my_courses"))
    assert response.status_code == 200
    body = response.content.decode()
    cohort = course_run["cohort"]
    assert cohort.course.title in body and cohort.cem.name in body
    assert cohort_setup["trainer"].get_full_name() in body
    # Upcoming sessions link to the session plan page.
    for delivery in course_run["upcoming"]:
        assert delivery.session.url in body
        assert en("courses:absence_announce", delivery.pk) in body
    # Own marks per held session.
    assert "Present" in body and "Absent" in body
    # 1 of 5 scheduled sessions attended (future ones count); 80 % of 5 is 4: 3 more needed.
    assert "You have attended 1 of 5 sessions; you need to attend 3 more to reach 80 %." in body
    assert "20 %" in body
    assert "My courses" in body  # the nav link


def test_an_activist_sees_only_their_own_marks(client, course_run):
    client.force_login(course_run["me"].activist)
    response = client.get(en("courses:my_courses"))
    body = response.content.decode()
    other = course_run["other"].activist
    assert other.get_full_name() not in body
    assert other.profile.participant_code not in body
    assert "Late" not in body  # the other activist's mark
    [card] = response.context["cards"]
    assert card["enrollment"] == course_run["me"]


def test_progress_when_the_minimum_is_out_of_reach_or_reached(client, course_run, cohort_setup):
    client.force_login(course_run["me"].activist)
    course = course_run["cohort"].course
    course.min_attendance_percent = 100
    course.save()
    body = client.get(en("courses:my_courses")).content.decode()
    assert "Even attending every remaining session you would not reach 100 %" in body
    course.min_attendance_percent = 20
    course.save()
    body = client.get(en("courses:my_courses")).content.decode()
    assert "you have reached the 20 % you need" in body


def test_announcing_an_absence_is_stored_as_excused(client, course_run):
    me, delivery = course_run["me"], course_run["upcoming"][0]
    client.force_login(me.activist)
    response = client.post(
        en("courses:absence_announce", delivery.pk), {"reason": "Cita médica"}, follow=True
    )
    record = AttendanceRecord.objects.get(delivery=delivery, enrollment=me)
    assert (record.status, record.reported_by_activist, record.note) == ("E", True, "Cita médica")
    assert record.recorded_by == me.activist
    [message] = [str(m) for m in response.context["messages"]]
    assert "know you will not attend" in message and delivery.session.title in message
    body = response.content.decode()
    assert "You said you will not attend" in body
    assert en("courses:absence_announce", delivery.pk) not in body
    # Telling twice changes nothing.
    client.post(en("courses:absence_announce", delivery.pk), {"reason": "Otra"})
    assert AttendanceRecord.objects.filter(delivery=delivery, enrollment=me).count() == 1


def test_an_absence_cannot_be_announced_for_a_past_session(client, course_run):
    me, delivery = course_run["me"], course_run["held"][1]
    client.force_login(me.activist)
    response = client.post(en("courses:absence_announce", delivery.pk), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Absences can only be announced for upcoming sessions."]
    assert AttendanceRecord.objects.get(delivery=delivery, enrollment=me).status == "A"


def test_another_activists_records_and_sessions_answer_404(client, course_run, course):
    me = course_run["me"]
    stranger = EnrollmentFactory(cohort=CohortFactory(course=course))
    client.force_login(stranger.activist)
    assert client.get(en("courses:enrollment_detail", me.pk)).status_code == 404
    response = client.post(en("courses:absence_announce", course_run["upcoming"][0].pk))
    assert response.status_code == 404
    assert not AttendanceRecord.objects.filter(enrollment=stranger).exists()
    assert client.get(en("courses:enrollment_detail", stranger.pk)).status_code == 200


def test_enrollment_page_shows_one_course(client, course_run):
    me = course_run["me"]
    client.force_login(me.activist)
    response = client.get(en("courses:enrollment_detail", me.pk))
    assert response.context["card"]["enrollment"] == me
    assert course_run["cohort"].name in response.content.decode()


def test_a_withdrawn_activist_gets_no_absence_button(client, course_run):
    me = course_run["me"]
    Enrollment.objects.filter(pk=me.pk).update(status=Enrollment.Status.WITHDRAWN)
    client.force_login(me.activist)
    body = client.get(en("courses:my_courses")).content.decode()
    assert "/ausencia/" not in body
    assert "Withdrawn" in body
