"""The activist's outbox sends replica sessions to their endpoint with the contract of offline
attendance: saved once, re-sends recognised, every refusal with a reason, nothing half-saved."""

import datetime as dt
import io
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import ReplicaSession
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import CommunityGroupFactory, person
from tests.helpers import image_bytes

pytestmark = pytest.mark.django_db


def payload(group, curriculum, **changes) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "recorded_by": group.activist.pk,
        "device_time": timezone.now().isoformat(),
        "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "duration_minutes": 90,
        "place": "Comedor popular",
        "sessions": [curriculum[0].pk],
        "counts": {"women_50_plus": 4, "first_women_50_plus": 4, "men_30_49": 2},
        "attendees": [],
        "notes": "",
    }
    return body | changes


def send(client, group, body, photo: bytes | None = None):
    data = {"replica": json.dumps(body)}
    if photo is not None:
        data["photo"] = io.BytesIO(photo)
        data["photo"].name = "foto.webp"
    return client.post(reverse("cascade:replica_sync", args=[group.pk]), data)


def test_saved_once_then_recognised_then_uuid_reuse_refused(client, group, cohort_setup):
    client.force_login(group.activist)
    body = payload(group, cohort_setup["sessions"])
    first = send(client, group, body, photo=image_bytes("WEBP"))
    assert first.status_code == 201 and first.json()["status"] == "saved"
    replica = ReplicaSession.objects.get()
    assert replica.origin == "device" and replica.photo and replica.device_time is not None
    again = send(client, group, body, photo=image_bytes("WEBP"))
    assert again.status_code == 200 and again.json()["status"] == "already_received"
    other = send(client, group, body | {"place": "Otro"})
    assert other.status_code == 409 and other.json()["status"] == "uuid_reused"
    assert ReplicaSession.objects.count() == 1
    entry = AuditLogEntry.objects.get(content_type__model="replicasession")
    assert entry.origin == "device" and entry.device_time is not None


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"held_on": "2999-01-01"}, "future_date"),
        ({"counts": {"men_18_29": 2, "first_men_18_29": 3}}, "first_timers"),
        ({"sessions": [999999]}, "sessions"),
        ({"device_time": "2999-01-01T00:00:00+00:00"}, "device_clock"),
    ],
)
def test_refusals_come_with_their_code(client, group, cohort_setup, changes, code):
    client.force_login(group.activist)
    response = send(client, group, payload(group, cohort_setup["sessions"], **changes))
    assert response.status_code == 422
    assert response.json()["code"] == code and response.json()["message"]
    assert not ReplicaSession.objects.exists()


def test_a_heic_photo_is_refused_with_its_reason(client, group, cohort_setup):
    client.force_login(group.activist)
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    response = send(client, group, payload(group, cohort_setup["sessions"]), photo=heic)
    assert response.status_code == 422 and response.json()["code"] == "photo"
    assert "HEIC" in response.json()["message"]


def test_malformed_signed_out_wrong_account_and_other_peoples_groups(client, group, cohort_setup):
    body = payload(group, cohort_setup["sessions"])
    assert send(client, group, body).status_code == 401
    client.force_login(group.activist)
    response = client.post(reverse("cascade:replica_sync", args=[group.pk]), {"replica": "{"})
    assert response.status_code == 400 and response.json()["problems"]
    assert send(client, group, body | {"recorded_by": group.activist.pk + 1000}).status_code == 403
    stranger_group = CommunityGroupFactory(
        activist=person(Role.ACTIVIST, cem=cohort_setup["cem"]), course=group.course
    )
    assert send(client, stranger_group, body).status_code == 404
    client.force_login(cohort_setup["trainer"])
    assert (
        send(client, group, body | {"recorded_by": cohort_setup["trainer"].pk}).status_code == 403
    )
    assert not ReplicaSession.objects.exists()
