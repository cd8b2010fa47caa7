"""The sync endpoint's contract, seen from the device: every answer is JSON it can act on.

Replays change nothing, conflicts come back with both versions, refusals carry a reason, and
nothing is ever half-saved."""

import datetime as dt
import json

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import AttendanceRecord, Cohort, SessionDelivery, SheetReceipt
from courses.services.attendance import attendance_sheet_save
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


@pytest.fixture
def trainer_client(client, cohort_setup):
    client.force_login(cohort_setup["trainer"])
    return client


def stored(delivery) -> dict[int, str]:
    return dict(delivery.attendance.values_list("enrollment_id", "status"))


def nothing_saved(delivery) -> bool:
    return not (
        delivery.attendance.exists()
        or SheetReceipt.objects.exists()
        or AuditLogEntry.objects.filter(content_type__model="attendancerecord").exists()
    )


# Saved once ----------------------------------------------------------------------------------


def test_a_sheet_from_the_device_is_saved_once_and_a_replay_changes_nothing(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    sheet = device_sheet(trainer, enrollments, statuses={enrollments[0].pk: "A"})
    response = send(trainer_client, cohort, today_delivery, sheet)
    assert response.status_code == 201
    answer = response.json()
    assert (answer["status"], answer["created"], answer["changed"]) == ("saved", 3, 0)
    assert stored(today_delivery) == {
        enrollments[0].pk: "A",
        enrollments[1].pk: "P",
        enrollments[2].pk: "P",
    }
    # Each record keeps its mark's UUID; the audit log has the device's time and its origin.
    uuids = {m["enrollment"]: m["uuid"] for m in sheet["marks"]}
    assert {
        e: str(u) for e, u in today_delivery.attendance.values_list("enrollment_id", "client_uuid")
    } == uuids
    entries = AuditLogEntry.objects.filter(content_type__model="attendancerecord")
    device_time = dt.datetime.fromisoformat(sheet["device_time"])
    assert entries.count() == 3
    assert {(e.origin, e.device_time) for e in entries} == {("device", device_time)}
    assert all(e.created_at > e.device_time for e in entries)  # received after it was taken
    receipt = SheetReceipt.objects.get()
    assert (str(receipt.uuid), receipt.recorded_by, receipt.created) == (sheet["uuid"], trainer, 3)
    assert AuditLogEntry.objects.filter(content_type__model="sheetreceipt").count() == 1

    audit_count = AuditLogEntry.objects.count()
    again = send(trainer_client, cohort, today_delivery, sheet)
    assert again.status_code == 200
    assert again.json()["status"] == "already_received"
    assert AttendanceRecord.objects.count() == 3
    assert SheetReceipt.objects.count() == 1
    assert AuditLogEntry.objects.count() == audit_count


def test_the_same_uuid_with_other_content_is_refused_as_a_conflict(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    sheet = device_sheet(trainer, enrollments)
    assert send(trainer_client, cohort, today_delivery, sheet).status_code == 201
    sheet["marks"][0]["status"] = "A"
    response = send(trainer_client, cohort, today_delivery, sheet)
    assert response.status_code == 409
    assert response.json()["status"] == "uuid_reused"
    assert set(stored(today_delivery).values()) == {"P"}


def test_a_sheet_typed_in_from_paper_is_marked_so_in_the_audit_log(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    sheet = device_sheet(trainer, enrollments, origin="paper")
    assert send(trainer_client, cohort, today_delivery, sheet).status_code == 201
    entries = AuditLogEntry.objects.filter(content_type__model="attendancerecord")
    assert set(entries.values_list("origin", flat=True)) == {"paper"}


def test_the_audit_log_shows_the_device_time_and_the_time_received(
    client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    client.force_login(trainer)
    send(client, cohort, today_delivery, device_sheet(trainer, enrollments, origin="paper"))
    client.force_login(person(Role.COORDINATOR))
    body = client.get("/en" + reverse("audit_log")).content.decode()
    assert "Typed in from a paper sheet" in body
    assert "recorded on the device" in body and "received" in body


def test_the_trainer_waiting_on_screen_reads_the_usual_message_on_the_next_page(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    response = send(
        trainer_client, cohort, today_delivery, device_sheet(trainer, enrollments, notify=True)
    )
    assert response.status_code == 201
    [message] = list(get_messages(response.wsgi_request))
    assert today_delivery.session.title in str(message)


# Conflicts: nothing overwritten silently ----------------------------------------------------------


def test_marks_a_coordinator_changed_meanwhile_come_back_with_both_versions(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    sheet = device_sheet(trainer, enrollments, statuses={enrollments[0].pk: "A"})
    coordinator = person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo"))
    attendance_sheet_save(
        actor=coordinator, delivery=today_delivery, marks={enrollments[0].pk: "E"}
    )
    before = stored(today_delivery)

    response = send(trainer_client, cohort, today_delivery, sheet)
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    [conflict] = answer["conflicts"]
    assert conflict["enrollment"] == enrollments[0].pk
    assert conflict["name"] == enrollments[0].activist.get_full_name()
    assert conflict["roster_code"] == enrollments[0].roster_code
    assert (conflict["device"]["status"], conflict["server"]["status"]) == ("A", "E")
    assert conflict["server"]["recorded_by"] == coordinator.get_full_name()
    assert conflict["device"]["label"] and conflict["server"]["label"]
    assert stored(today_delivery) == before  # nothing of the sheet was saved
    assert not SheetReceipt.objects.exists()

    # The trainer chose their own mark: sent again as read at the server's answer, it wins.
    sheet["seen_at"] = answer["server_time"]
    resolved = send(trainer_client, cohort, today_delivery, sheet)
    assert resolved.status_code == 201
    assert stored(today_delivery)[enrollments[0].pk] == "A"


# Refusals with a reason ------------------------------------------------------------------------


def test_a_session_of_another_cohort_is_not_found(
    trainer_client, cohort_setup, course, today_delivery, device_sheet, send
):
    trainer, enrollments, own = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    other = CohortFactory(course=course, cem=CEMFactory(site=site("arequipa")))
    foreign = SessionDeliveryFactory(cohort=other, session=cohort_setup["sessions"][0])
    sheet = device_sheet(trainer, [EnrollmentFactory(cohort=other)])
    for cohort in (own, other):
        response = send(trainer_client, cohort, foreign, sheet)
        assert response.status_code == 404
        assert response.json()["status"] == "not_found"
    # Nor does a session of one's own group open through another group's id.
    response = send(trainer_client, other, today_delivery, device_sheet(trainer, enrollments))
    assert response.status_code == 404
    assert nothing_saved(today_delivery) and not foreign.attendance.exists()


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.ACTIVIST])
def test_roles_that_never_take_attendance_are_forbidden(
    client, cohort_setup, today_delivery, device_sheet, send, role
):
    user = person(role)
    client.force_login(user)
    sheet = device_sheet(user, cohort_setup["enrollments"])
    response = send(client, cohort_setup["cohort"], today_delivery, sheet)
    assert response.status_code == 403
    assert response.json()["status"] == "forbidden"
    assert nothing_saved(today_delivery)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        json.dumps({"uuid": "not-a-uuid", "marks": []}).encode(),
        "ñ".encode("latin-1"),
    ],
)
def test_malformed_sheets_are_refused_and_nothing_is_saved(
    trainer_client, cohort_setup, today_delivery, send, body
):
    response = send(trainer_client, cohort_setup["cohort"], today_delivery, body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == "malformed" and answer["message"]
    assert nothing_saved(today_delivery)


def test_one_bad_mark_refuses_the_whole_sheet(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    sheet = device_sheet(trainer, enrollments)
    del sheet["marks"][1]["uuid"]
    response = send(trainer_client, cohort, today_delivery, sheet)
    assert response.status_code == 400
    assert any("marca 2" in problem for problem in response.json()["problems"])
    sheet = device_sheet(trainer, enrollments, statuses={enrollments[2].pk: "X"})
    response = send(trainer_client, cohort, today_delivery, sheet)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert nothing_saved(today_delivery)


def test_a_signed_out_device_is_told_to_sign_in_again(
    client, cohort_setup, today_delivery, device_sheet, send
):
    sheet = device_sheet(cohort_setup["trainer"], cohort_setup["enrollments"])
    response = send(client, cohort_setup["cohort"], today_delivery, sheet)
    assert response.status_code == 401  # JSON, not the login page
    assert response.json()["status"] == "signed_out"
    assert nothing_saved(today_delivery)


def test_the_endpoint_needs_the_csrf_token_and_says_so_in_json(
    cohort_setup, today_delivery, device_sheet, send
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cohort_setup["trainer"])
    sheet = device_sheet(cohort_setup["trainer"], cohort_setup["enrollments"])
    refused = send(client, cohort_setup["cohort"], today_delivery, sheet)
    assert refused.status_code == 403
    assert refused.json()["status"] == "csrf"
    assert nothing_saved(today_delivery)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    token = _mask_cipher_secret(secret)
    accepted = send(client, cohort_setup["cohort"], today_delivery, sheet, X_CSRFToken=token)
    assert accepted.status_code == 201


def test_a_sheet_is_sent_only_under_the_account_that_recorded_it(
    client, cohort_setup, today_delivery, device_sheet, send
):
    colleague = person(Role.TRAINER, cem=cohort_setup["cem"])
    cohort_setup["cohort"].trainers.add(colleague)
    client.force_login(colleague)
    sheet = device_sheet(cohort_setup["trainer"], cohort_setup["enrollments"])
    response = send(client, cohort_setup["cohort"], today_delivery, sheet)
    assert response.status_code == 403
    assert response.json()["status"] == "wrong_account"
    assert nothing_saved(today_delivery)


def test_a_device_clock_far_ahead_is_refused_with_a_reason(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    ahead = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = send(
        trainer_client,
        cohort,
        today_delivery,
        device_sheet(trainer, enrollments, device_time=ahead),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "device_clock"
    assert response.json()["message"]
    slightly = (timezone.now() + dt.timedelta(minutes=2)).isoformat()
    response = send(
        trainer_client,
        cohort,
        today_delivery,
        device_sheet(trainer, enrollments, device_time=slightly),
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("cancelled", "cancelled"),
        ("closed", "cohort_closed"),
    ],
)
def test_a_session_the_server_no_longer_accepts_is_refused_with_a_translated_reason(
    trainer_client, cohort_setup, today_delivery, device_sheet, send, change, code
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    if change == "cancelled":
        SessionDelivery.objects.filter(pk=today_delivery.pk).update(
            status=SessionDelivery.Status.CANCELLED
        )
    else:
        Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.CLOSED)
    response = send(trainer_client, cohort, today_delivery, device_sheet(trainer, enrollments))
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == code
    assert "asistencia" in answer["message"]  # Spanish, the language of the URL
    assert nothing_saved(today_delivery)


def test_only_post_is_allowed(trainer_client, cohort_setup, today_delivery):
    url = reverse("courses:attendance_sync", args=[cohort_setup["cohort"].pk, today_delivery.pk])
    assert trainer_client.get(url).status_code == 405


# Queries do not grow with the roster ---------------------------------------------------------


def test_a_sheet_of_60_people_is_saved_in_as_many_queries_as_one_of_5(
    client, cohort_setup, course, device_sheet, send, django_assert_num_queries
):
    trainer = cohort_setup["trainer"]
    groups = {}
    for size in (1, 5, 60):
        cohort = CohortFactory(course=course, cem=cohort_setup["cem"], trainers=[trainer])
        enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(size)]
        delivery = SessionDeliveryFactory(
            cohort=cohort,
            session=cohort_setup["sessions"][0],
            scheduled_at=timezone.now() - dt.timedelta(hours=1),
        )
        groups[size] = (cohort, enrollments, delivery)
    client.force_login(trainer)
    cohort, enrollments, delivery = groups[1]  # content types and sessions made on first use
    send(client, cohort, delivery, device_sheet(trainer, enrollments))

    def count(size: int, sheet: dict) -> int:
        cohort, _, delivery = groups[size]
        with CaptureQueriesContext(connection) as queries:
            assert send(client, cohort, delivery, sheet).status_code in (200, 201)
        return len(queries)

    new = {
        s: device_sheet(trainer, groups[s][1], statuses={groups[s][1][0].pk: "A"}) for s in (5, 60)
    }
    assert count(5, new[5]) == count(60, new[60])
    assert groups[60][2].attendance.count() == 60
    replayed = count(5, new[5])
    with django_assert_num_queries(replayed):
        send(client, groups[60][0], groups[60][2], new[60])
    changed = {
        s: device_sheet(trainer, groups[s][1], "L", seen_at=timezone.now().isoformat())
        for s in (5, 60)
    }
    assert count(5, changed[5]) == count(60, changed[60])
    assert set(groups[60][2].attendance.values_list("status", flat=True)) == {"L"}


def test_a_sheet_already_received_stays_received_after_the_trainer_leaves_the_group(
    trainer_client, cohort_setup, today_delivery, device_sheet, send
):
    trainer, enrollments, cohort = (cohort_setup[k] for k in ("trainer", "enrollments", "cohort"))
    sheet = device_sheet(trainer, enrollments)
    assert send(trainer_client, cohort, today_delivery, sheet).status_code == 201
    cohort.trainers.remove(trainer)
    again = send(trainer_client, cohort, today_delivery, sheet)
    assert (again.status_code, again.json()["status"]) == (200, "already_received")
    other = send(trainer_client, cohort, today_delivery, device_sheet(trainer, enrollments, "A"))
    assert (other.status_code, other.json()["status"]) == (404, "not_found")
    assert set(stored(today_delivery).values()) == {"P"}
