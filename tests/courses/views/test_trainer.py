"""The trainer's screens: groups, cohort page, one-screen attendance sheet, printed sheet.

Text is checked on English URLs (/en/...) so that translating the msgids later does not break
the assertions."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import AttendanceRecord, Cohort, Enrollment, SessionDelivery
from courses.offline.paper import sheet_code
from courses.services.attendance import absence_announce, attendance_sheet_save
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    person,
    site,
)
from tests.helpers import en


@pytest.fixture
def delivery(cohort_setup):
    return SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][0],
        scheduled_at=timezone.now() - dt.timedelta(hours=2),
    )


@pytest.fixture
def trainer_client(client, cohort_setup):
    client.force_login(cohort_setup["trainer"])
    return client


def sheet_data(enrollments, status="P", **overrides) -> dict:
    data = {f"status-{e.pk}": status for e in enrollments}
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Mis grupos ---------------------------------------------------------------------------------


def test_my_groups_lists_the_trainers_open_cohorts_only(client, cohort_setup, course):
    cohort = cohort_setup["cohort"]
    closed = CohortFactory(
        course=course,
        cem=cohort_setup["cem"],
        trainers=[cohort_setup["trainer"]],
        status=Cohort.Status.CLOSED,
    )
    someone_elses = CohortFactory(course=course, cem=cohort_setup["cem"])
    client.force_login(cohort_setup["trainer"])
    response = client.get(en("courses:my_cohorts"))
    assert [c.pk for c in response.context["cohorts"]] == [cohort.pk]
    body = response.content.decode()
    assert en("courses:cohort_detail", cohort.pk) in body
    assert closed.name not in body and someone_elses.name not in body
    assert "My groups" in body  # the nav link


def test_my_groups_of_a_national_coordinator_has_every_site(client, cohort_setup, course):
    elsewhere = CohortFactory(course=course, cem=CEMFactory(site=site("iquitos")))
    client.force_login(person(Role.COORDINATOR))
    response = client.get(en("courses:my_cohorts"))
    assert {c.pk for c in response.context["cohorts"]} == {cohort_setup["cohort"].pk, elsewhere.pk}


# Cohort page ------------------------------------------------------------------------------


def test_cohort_page_shows_roster_percent_flag_and_schedule(trainer_client, cohort_setup):
    cohort, sessions = cohort_setup["cohort"], cohort_setup["sessions"]
    trainer, enrollments = cohort_setup["trainer"], cohort_setup["enrollments"]
    now = timezone.now()
    held = [
        SessionDeliveryFactory(
            cohort=cohort, session=s, scheduled_at=now - dt.timedelta(days=9 - i)
        )
        for i, s in enumerate(sessions[:2])
    ]
    future = SessionDeliveryFactory(
        cohort=cohort, session=sessions[2], scheduled_at=now + dt.timedelta(days=5)
    )
    absent = enrollments[0]
    for delivery in held:
        marks = {e.pk: "P" for e in enrollments}
        marks[absent.pk] = "A"
        attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks)

    response = trainer_client.get(en("courses:cohort_detail", cohort.pk))
    assert response.status_code == 200
    body = response.content.decode()
    roster = {row["summary"].enrollment.pk: row for row in response.context["roster"]}
    # 3 scheduled sessions, the future one included.
    assert roster[absent.pk]["summary"].flagged
    assert round(roster[enrollments[1].pk]["summary"].percent) == 67
    assert "2 absences in a row" in body  # the flag is text, not colour only
    assert body.count("absences in a row") == 1
    assert "67 %" in body and "0 %" in body
    for delivery in held:
        assert en("courses:attendance_sheet", cohort.pk, delivery.pk) in body
    # Attendance is only taken on the day or after; the printed sheet is always there.
    assert en("courses:attendance_sheet", cohort.pk, future.pk) not in body
    assert en("courses:sign_in_sheet", cohort.pk, future.pk) in body
    assert "Edit attendance" in body


def test_an_accreditor_reads_the_cohort_page_without_write_links(client, cohort_setup, delivery):
    client.force_login(person(Role.ACCREDITOR))
    response = client.get(en("courses:cohort_detail", cohort_setup["cohort"].pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert cohort_setup["enrollments"][0].activist.get_full_name() in body
    assert "/asistencia/" not in body and "/hoja/" not in body


# Attendance sheet --------------------------------------------------------------------------


def test_sheet_defaults_to_present_and_prefills_stored_marks(
    trainer_client, cohort_setup, delivery
):
    enrollments = cohort_setup["enrollments"]
    AttendanceRecordStatus = AttendanceRecord.Status
    attendance_sheet_save(
        actor=cohort_setup["trainer"],
        delivery=delivery,
        marks={enrollments[0].pk: AttendanceRecordStatus.LATE},
        notes={enrollments[0].pk: "Llegó a las 10"},
    )
    response = trainer_client.get(
        en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    )
    body = response.content.decode()
    assert f'name="status-{enrollments[0].pk}" value="L" checked' in body
    assert f'name="status-{enrollments[1].pk}" value="P" checked' in body
    assert "Llegó a las 10" in body
    assert body.count('type="radio"') == 4 * len(enrollments)
    assert 'name="all_present"' in body


def test_an_announced_absence_is_preselected_as_excused_with_a_label(trainer_client, cohort_setup):
    enrollment = cohort_setup["enrollments"][1]
    delivery = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][1],
        scheduled_at=timezone.now() + dt.timedelta(days=1),
    )
    absence_announce(activist=enrollment.activist, delivery=delivery, note="Viaje a Huánuco")
    # The day comes.
    SessionDelivery.objects.filter(pk=delivery.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(hours=1)
    )
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    body = trainer_client.get(url).content.decode()
    assert f'name="status-{enrollment.pk}" value="E" checked' in body
    assert "Announced absence" in body and "Viaje a Huánuco" in body

    # Saving the sheet as shown keeps the announcement.
    data = sheet_data(cohort_setup["enrollments"])
    data[f"status-{enrollment.pk}"] = "E"
    data[f"note-{enrollment.pk}"] = "Viaje a Huánuco"
    trainer_client.post(url, data)
    record = AttendanceRecord.objects.get(delivery=delivery, enrollment=enrollment)
    assert (record.status, record.reported_by_activist) == ("E", True)


def test_the_same_sheet_posted_twice_gives_one_set_of_records(
    trainer_client, cohort_setup, delivery
):
    cohort, enrollments = cohort_setup["cohort"], cohort_setup["enrollments"]
    url = en("courses:attendance_sheet", cohort.pk, delivery.pk)
    data = sheet_data(enrollments)
    data[f"status-{enrollments[2].pk}"] = "A"
    data[f"note-{enrollments[2].pk}"] = "Sin aviso"

    response = trainer_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0].startswith(en("courses:cohort_detail", cohort.pk))
    assert "Attendance saved" in messages_of(response)[0]
    assert "3 new, 0 changed" in messages_of(response)[0]
    audit_count = AuditLogEntry.objects.count()

    response = trainer_client.post(url, data, follow=True)
    assert messages_of(response) == ["No changes: this attendance sheet was already saved."]
    assert AttendanceRecord.objects.filter(delivery=delivery).count() == 3
    assert AuditLogEntry.objects.count() == audit_count
    stored = dict(delivery.attendance.values_list("enrollment_id", "status"))
    assert stored == {enrollments[0].pk: "P", enrollments[1].pk: "P", enrollments[2].pk: "A"}
    assert delivery.attendance.get(enrollment=enrollments[2]).note == "Sin aviso"
    delivery.refresh_from_db()
    assert delivery.status == SessionDelivery.Status.HELD


def test_a_changed_mark_is_reported_as_changed(trainer_client, cohort_setup, delivery):
    enrollments = cohort_setup["enrollments"]
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    trainer_client.post(url, sheet_data(enrollments))
    data = sheet_data(enrollments)
    data[f"status-{enrollments[0].pk}"] = "L"
    response = trainer_client.post(url, data, follow=True)
    assert "0 new, 1 changed, 2 unchanged" in messages_of(response)[-1]
    assert delivery.attendance.get(enrollment=enrollments[0]).status == "L"


def test_a_bad_status_shows_the_message_and_saves_nothing(trainer_client, cohort_setup, delivery):
    enrollments = cohort_setup["enrollments"]
    data = sheet_data(enrollments)
    data[f"status-{enrollments[1].pk}"] = "X"
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    response = trainer_client.post(url, data)
    assert response.status_code == 200
    assert "“X” is not an attendance status (use P, L, E or A)." in messages_of(response)
    assert not AttendanceRecord.objects.exists()
    delivery.refresh_from_db()
    assert delivery.status == SessionDelivery.Status.SCHEDULED
    # The trainer's taps are kept on screen.
    assert f'name="status-{enrollments[0].pk}" value="P" checked' in response.content.decode()


def test_a_missing_status_is_refused(trainer_client, cohort_setup, delivery):
    enrollments = cohort_setup["enrollments"]
    data = sheet_data(enrollments[:2])
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    response = trainer_client.post(url, data)
    name = enrollments[2].activist.get_full_name()
    assert f"Choose a status for {name}." in messages_of(response)
    assert not AttendanceRecord.objects.exists()


def test_all_present_without_javascript_saves_everyone_present(
    trainer_client, cohort_setup, delivery
):
    enrollments = cohort_setup["enrollments"]
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    # A browser without JavaScript posts the radios as shown plus the button's name.
    data = sheet_data(enrollments, "A", all_present="1")
    trainer_client.post(url, data)
    assert sorted(delivery.attendance.values_list("status", flat=True)) == ["P", "P", "P"]


def test_withdrawn_activists_are_not_on_the_sheet(trainer_client, cohort_setup, delivery):
    withdrawn = cohort_setup["enrollments"][0]
    Enrollment.objects.filter(pk=withdrawn.pk).update(status=Enrollment.Status.WITHDRAWN)
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    body = trainer_client.get(url).content.decode()
    assert f"status-{withdrawn.pk}" not in body
    trainer_client.post(url, {"all_present": "1"})
    assert delivery.attendance.count() == 2


def test_a_future_session_offers_no_sheet_and_refuses_a_post(trainer_client, cohort_setup):
    future = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][3],
        scheduled_at=timezone.now() + dt.timedelta(days=3),
    )
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, future.pk)
    body = trainer_client.get(url).content.decode()
    assert '<form method="post" class="sheet"' not in body
    assert "scheduled for a later date" in body
    response = trainer_client.post(url, sheet_data(cohort_setup["enrollments"]))
    assert any("later date" in m for m in messages_of(response))
    assert not AttendanceRecord.objects.exists()


# Printable sign-in sheet -------------------------------------------------------------------


def test_sign_in_sheet_lists_people_codes_and_blank_rows(trainer_client, cohort_setup, delivery):
    """Each person's roster number and the sheet's code are printed; never a participant code,
    which pseudonymises research data."""
    delivery.facilitators.add(cohort_setup["trainer"])
    url = en("courses:sign_in_sheet", cohort_setup["cohort"].pk, delivery.pk)
    response = trainer_client.get(url)
    body = response.content.decode()
    assert sheet_code(delivery.pk) in body
    for enrollment in cohort_setup["enrollments"]:
        assert enrollment.activist.get_full_name() in body
        assert f'<td class="num code">{enrollment.roster_code}</td>' in body
        assert enrollment.activist.profile.participant_code not in body
    assert delivery.session.title in body and delivery.place in body
    assert cohort_setup["trainer"].get_full_name() in body
    assert body.count('class="blank"') == 8
    assert "Signature" in body
    assert "site.css" in body  # its @media print rules lay the table out on paper


# Queries do not grow with the roster --------------------------------------------------------


def _group_of(size: int, *, course, sessions, trainer, cem):
    cohort = CohortFactory(course=course, cem=cem, trainers=[trainer])
    enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(size)]
    delivery = SessionDeliveryFactory(
        cohort=cohort, session=sessions[0], scheduled_at=timezone.now() - dt.timedelta(hours=1)
    )
    SessionDeliveryFactory(
        cohort=cohort, session=sessions[1], scheduled_at=timezone.now() + dt.timedelta(days=7)
    )
    return cohort, enrollments, delivery


def _mixed_sheet(enrollments) -> dict:
    data = sheet_data(enrollments)
    data[f"status-{enrollments[0].pk}"] = "A"
    data[f"status-{enrollments[1].pk}"] = "L"
    data[f"note-{enrollments[1].pk}"] = "Tráfico"
    return data


def _count(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


@pytest.fixture
def groups(client, cohort_setup, course):
    """A group of 5 and one of 40, the trainer logged in and one-off work done beforehand."""
    trainer = cohort_setup["trainer"]
    kwargs = {
        "course": course,
        "sessions": cohort_setup["sessions"],
        "trainer": trainer,
        "cem": cohort_setup["cem"],
    }
    small, big = _group_of(5, **kwargs), _group_of(40, **kwargs)
    client.force_login(trainer)
    # The attendance rules row and the content type cache are made on first use.
    warm, _, warm_delivery = _group_of(1, **kwargs)
    client.get(reverse("courses:cohort_detail", args=[warm.pk]))
    client.post(
        reverse("courses:attendance_sheet", args=[warm.pk, warm_delivery.pk]),
        {"all_present": "1"},
    )
    return {5: small, 40: big}


def _sheet_url(group) -> str:
    cohort, _, delivery = group
    return reverse("courses:attendance_sheet", args=[cohort.pk, delivery.pk])


def test_rendering_the_sheet_and_the_cohort_page_does_not_grow_with_the_roster(
    client, groups, django_assert_num_queries
):
    counts = {"sheet": _count(client, "get", _sheet_url(groups[5]))}
    with django_assert_num_queries(counts["sheet"]):
        client.get(_sheet_url(groups[40]))

    for size in (5, 40):  # both groups get a saved session before their page is shown
        client.post(_sheet_url(groups[size]), _mixed_sheet(groups[size][1]))
    counts["cohort"] = _count(
        client, "get", reverse("courses:cohort_detail", args=[groups[5][0].pk])
    )
    with django_assert_num_queries(counts["cohort"]):
        client.get(reverse("courses:cohort_detail", args=[groups[40][0].pk]))

    # Posting the same sheet again changes nothing, in as many queries at 5 as at 40.
    counts["repost"] = _count(client, "post", _sheet_url(groups[5]), _mixed_sheet(groups[5][1]))
    with django_assert_num_queries(counts["repost"]):
        client.post(_sheet_url(groups[40]), _mixed_sheet(groups[40][1]))
    print(f"queries, same at 5 and at 40 activists: {counts}")


def test_saving_the_sheet_does_not_grow_with_the_roster(client, groups, django_assert_num_queries):
    counts = {"new": _count(client, "post", _sheet_url(groups[5]), _mixed_sheet(groups[5][1]))}
    with django_assert_num_queries(counts["new"]):
        response = client.post(_sheet_url(groups[40]), _mixed_sheet(groups[40][1]))
    assert response.status_code == 302
    assert groups[40][2].attendance.count() == 40

    # Every mark changed: one audited edit per person, still in a fixed number of queries.
    counts["changed"] = _count(client, "post", _sheet_url(groups[5]), sheet_data(groups[5][1], "L"))
    with django_assert_num_queries(counts["changed"]):
        client.post(_sheet_url(groups[40]), sheet_data(groups[40][1], "L"))
    assert set(groups[40][2].attendance.values_list("status", flat=True)) == {"L"}
    print(f"queries to save, same at 5 and at 40 activists: {counts}")


def test_a_sheet_posted_over_a_mark_someone_saved_since_it_opened_says_so_and_saves_nothing(
    trainer_client, cohort_setup, delivery
):
    enrollments = cohort_setup["enrollments"]
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    body = trainer_client.get(url).content.decode()
    opened = re.search(r'name="seen_at" value="([^"]+)"', body).group(1)
    coordinator = person(Role.COORDINATOR)
    attendance_sheet_save(actor=coordinator, delivery=delivery, marks={enrollments[0].pk: "E"})
    response = trainer_client.post(url, sheet_data(enrollments, seen_at=opened))
    assert response.status_code == 200
    [message] = messages_of(response)
    assert coordinator.get_full_name() in message and "Excused" in message
    assert enrollments[0].activist.get_full_name() in message
    assert dict(delivery.attendance.values_list("enrollment_id", "status")) == {
        enrollments[0].pk: "E"
    }
    # Read again from now, the same sheet is saved: the trainer has seen the change.
    reopened = re.search(r'name="seen_at" value="([^"]+)"', response.content.decode()).group(1)
    assert trainer_client.post(url, sheet_data(enrollments, seen_at=reopened)).status_code == 302
    assert set(delivery.attendance.values_list("status", flat=True)) == {"P"}
