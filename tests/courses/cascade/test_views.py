"""The cascade's screens as each person uses them: the activist registers a group and records a
session (with a photo), a trainer of her site verifies it, the coordinator reads the reach and
exports it; nobody reaches what is not theirs."""

import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CommunityGroup, ReplicaSession
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import CEMFactory, district, person, site
from tests.helpers import en, image_bytes

pytestmark = pytest.mark.django_db


def replica_post(sessions, **changes) -> dict:
    data = {
        "uuid": str(uuid.uuid4()),
        "held_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "duration_minutes": "120",
        "place": "Parroquia San José",
        "sessions": [str(sessions[0].pk)],
        "women_30_49": "6",
        "men_18_29": "3",
        "first_women_30_49": "6",
        "first_men_18_29": "1",
    }
    return data | changes


def test_the_activist_registers_a_group_and_records_a_session_with_a_photo(
    client, certified, course, cohort_setup
):
    client.force_login(certified)
    page = client.get(en("cascade:my_groups"))
    assert page.status_code == 200
    response = client.post(
        en("cascade:group_create"),
        {
            "name": "Hombres de Tablada",
            "kind": "men",
            "district": district("150143").pk,
            "cem": cohort_setup["cem"].pk,
            "course": course.pk,
            "start_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    group = CommunityGroup.objects.get(name="Hombres de Tablada")
    form = client.get(en("cascade:replica_create", group.pk)).content.decode()
    guide = cohort_setup["sessions"][0].url + "guia/"
    assert guide in form  # the facilitator guide is one tap away
    assert "must not show the faces or names" in form
    assert 'style="' not in form and "<script>" not in form
    photo = io.BytesIO(image_bytes())
    photo.name = "foto.jpg"
    data = replica_post(cohort_setup["sessions"], photo=photo)
    response = client.post(en("cascade:replica_create", group.pk), data)
    assert response.status_code == 302
    replica = ReplicaSession.objects.get(group=group)
    assert (replica.participants, replica.first_timers, replica.status) == (9, 7, "pending")
    assert replica.photo
    # The same page sent again (a double tap) is stored once.
    photo.seek(0)
    client.post(en("cascade:replica_create", group.pk), data)
    assert ReplicaSession.objects.filter(group=group).count() == 1
    mine = client.get(en("cascade:my_groups")).content.decode()
    assert "Waiting for verification" in mine
    # The activist does not see the photo: only the CEM staff of the site.
    assert client.get(en("cascade:replica_photo", replica.pk)).status_code == 403


def test_a_refused_session_shows_why_and_saves_nothing(client, group, cohort_setup):
    client.force_login(group.activist)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = replica_post(cohort_setup["sessions"], held_on=future, first_men_18_29="5")
    response = client.post(en("cascade:replica_create", group.pk), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The date is in the future" in body
    assert "more first-time participants than participants" in body
    assert not ReplicaSession.objects.exists()


def test_a_trainer_of_her_site_verifies_and_the_coordinator_reads_and_exports(
    client, group, cohort_setup
):
    client.force_login(group.activist)
    photo = io.BytesIO(image_bytes("PNG"))
    photo.name = "foto.png"
    client.post(
        en("cascade:replica_create", group.pk), replica_post(cohort_setup["sessions"], photo=photo)
    )
    replica = ReplicaSession.objects.get()
    trainer = cohort_setup["trainer"]
    client.force_login(trainer)
    assert str(replica.held_on.day) in client.get(en("cascade:verify_list")).content.decode()
    detail = client.get(en("cascade:replica_detail", replica.pk)).content.decode()
    assert reverse("cascade:replica_photo", args=[replica.pk]).removeprefix("/") in detail
    photo_response = client.get(en("cascade:replica_photo", replica.pk))
    assert photo_response["Content-Type"] == "image/png"
    assert photo_response["Cache-Control"] == "no-store"
    response = client.post(en("cascade:replica_detail", replica.pk), {"action": "verify"})
    assert response.status_code == 302
    replica.refresh_from_db()
    assert replica.status == "verified" and replica.reviewed_by == trainer

    coordinator = person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo"))
    client.force_login(coordinator)
    reach = client.get(en("cascade:reach")).content.decode()
    assert "<svg" in reach and 'style="' not in reach
    assert "Villa María del Triunfo" in reach  # the district table
    response = client.get(en("cascade:export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert set(archive.namelist()) == {"replicas.csv", "replicas_diccionario.csv"}
    rows = archive.read("replicas.csv").decode("utf-8-sig").splitlines()
    header = rows[0].split(",")
    row = dict(zip(header, rows[1].split(","), strict=True))
    assert row["district_ubigeo"] == "150143" and row["verified"] == "1"
    assert row["women_30_49"] == "6" and "photo" not in header
    assert group.activist.last_name not in archive.read("replicas.csv").decode("utf-8-sig")
    assert AuditLogEntry.objects.filter(actor=coordinator, after__export="replicas.csv").exists()


def test_staff_of_another_site_see_nothing(client, group, cohort_setup):
    client.force_login(group.activist)
    client.post(en("cascade:replica_create", group.pk), replica_post(cohort_setup["sessions"]))
    replica = ReplicaSession.objects.get()
    other = person(Role.TRAINER, cem=CEMFactory(site=site("arequipa")))
    client.force_login(other)
    assert client.get(en("cascade:replica_detail", replica.pk)).status_code == 404
    assert (
        client.post(en("cascade:replica_detail", replica.pk), {"action": "verify"}).status_code
        == 404
    )
    assert client.get(en("cascade:replica_photo", replica.pk)).status_code == 404
    assert str(group.name) not in client.get(en("cascade:verify_list")).content.decode()
    coordinator = person(Role.COORDINATOR, site_=site("arequipa"))
    client.force_login(coordinator)
    reach = client.get(en("cascade:reach")).content.decode()
    assert "No verified sessions yet." in reach
