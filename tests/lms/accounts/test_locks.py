"""Coordinators see who cannot sign in and unlock them, for the people of their site only."""

from django.urls import reverse

from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import person, site


def guess(client, username, times, address="10.0.0.1"):
    for n in range(times):
        client.post(
            reverse("login"), {"username": username, "password": f"x{n}"}, REMOTE_ADDR=address
        )


def test_a_coordinator_unlocks_a_person_of_her_site(client, site_coordinator):
    activist = person(Role.ACTIVIST, site_=site("villa-maria-del-triunfo"))
    elsewhere = person(Role.ACTIVIST, site_=site("arequipa"))
    guess(client, activist.username, 6)
    guess(client, elsewhere.username, 6)

    client.force_login(site_coordinator)
    page = client.get(reverse("sign_in_locks"))
    assert page.status_code == 200
    html = page.content.decode()
    assert activist.get_full_name() in html and elsewhere.get_full_name() not in html
    assert "Bloqueada desde una conexión" in html

    assert client.post(reverse("sign_in_unlock", args=[elsewhere.pk])).status_code == 404
    assert client.post(reverse("sign_in_unlock", args=[activist.pk])).status_code == 302
    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.UNLOCKED)
    assert entry.actor == site_coordinator and entry.object_id == str(activist.pk)
    client.logout()

    signed = client.post(
        reverse("login"),
        {"username": activist.username, "password": "demo12345"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert signed.status_code == 302
    refused = client.post(
        reverse("login"),
        {"username": elsewhere.username, "password": "demo12345"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert refused.status_code == 429


def test_only_coordinators_reach_the_locks(client, db):
    for role in (Role.TRAINER, Role.ACTIVIST, Role.ACCREDITOR):
        client.force_login(person(role))
        assert client.get(reverse("sign_in_locks")).status_code in (302, 403)
        assert client.post(reverse("sign_in_unlock", args=[1])).status_code in (302, 403)
