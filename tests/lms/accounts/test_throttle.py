"""Sign-in under guessing: a username and address locked, a name attacked from many places only
slowed, the owner's own browser let through, the admin's form the same, all in the audit log."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lms.accounts.throttle import DEVICE_COOKIE
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import person, site

PASSWORD = "demo12345"


@pytest.fixture
def activist(db):
    user = person(Role.ACTIVIST, site_=site("villa-maria-del-triunfo"))
    user.username = "activista"
    user.save()
    return user


def sign_in(client, username, password, *, address="10.0.0.1", path=None, **data):
    path = path or reverse("login")
    return client.post(
        path, {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def entries(user, action):
    return AuditLogEntry.objects.filter(action=action, object_id=str(user.pk))


def test_two_hundred_wrong_passwords_lock_the_name_from_that_address(client, activist):
    answers = [sign_in(client, "activista", f"guess{n}").status_code for n in range(200)]
    assert answers[:4] == [200] * 4  # the form again, with its error
    assert set(answers[4:]) == {429}  # the fifth failure locks; nothing more is tried
    right = sign_in(client, "activista", PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert 60 * 14 < int(right["Retry-After"]) <= 60 * 15
    page = right.content.decode()
    assert "Por favor, espera antes de volver a intentarlo" in page
    assert "Puedes volver a intentarlo a las" in page

    assert entries(activist, AuditLogEntry.Action.SIGN_IN_FAILED).count() == 5
    [lock] = entries(activist, AuditLogEntry.Action.LOCKED)
    assert lock.after["kind"] == "locked" and lock.site.slug == "villa-maria-del-triunfo"
    assert lock.after["via"] == "site" and "10.0.0.1" not in json.dumps(lock.after)
    stored = json.dumps(list(AuditLogEntry.objects.values("before", "after", "object_repr")))
    stored += "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "guess" not in stored and PASSWORD not in stored


def test_the_lock_page_speaks_english_under_en(client, activist):
    from django.utils import translation

    with translation.override("en"):
        path = reverse("login")
    assert path.startswith("/en/")
    for n in range(5):
        sign_in(client, "activista", f"guess{n}", path=path)
    page = sign_in(client, "activista", PASSWORD, path=path)
    assert page.status_code == 429 and page["Content-Language"] == "en"
    assert "You can try again at" in page.content.decode()


def test_the_rest_of_the_workshop_behind_the_same_address_signs_in(client, activist):
    neighbour = person(Role.ACTIVIST)
    for n in range(6):
        sign_in(client, "activista", f"guess{n}")
    assert signed_in(sign_in(client, neighbour.username, PASSWORD))
    client.logout()
    # The locked person herself, from her phone's own connection.
    assert signed_in(sign_in(client, "activista", PASSWORD, address="10.9.9.9"))


def test_the_admin_sign_in_is_locked_the_same_way(client, db):
    coordinator = person(Role.COORDINATOR)
    path = reverse("wagtailadmin_login")
    for n in range(5):
        sign_in(client, coordinator.username, f"guess{n}", path=path)
    refused = sign_in(client, coordinator.username, PASSWORD, path=path)
    assert refused.status_code == 429
    assert entries(coordinator, AuditLogEntry.Action.LOCKED).get().after["via"] == "admin"


@override_settings(SIGNIN_COOLDOWN_AFTER=10, SIGNIN_COOLDOWN_SECONDS=30)
def test_a_name_guessed_from_many_places_only_slows_and_her_browser_passes(client, activist):
    own = Client()  # her own phone, where she signed in last week
    assert signed_in(sign_in(own, "activista", PASSWORD, address="10.2.0.1"))
    cookie = own.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and "activista" not in cookie.value
    own.post(reverse("logout"))

    for n in range(10):  # two tries from each of five addresses: nobody is locked
        sign_in(client, "activista", f"guess{n}", address=f"10.1.0.{n // 2}")
    waiting = sign_in(client, "activista", "guess-x", address="10.1.9.9")
    assert waiting.status_code == 429 and int(waiting["Retry-After"]) <= 30
    assert "cada nuevo intento espera" in waiting.content.decode()
    assert entries(activist, AuditLogEntry.Action.LOCKED).get().after["kind"] == "cooldown"
    failures = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))
    assert failures == 10  # the refused try was not counted against her

    # A new phone waits like the attacker; her own phone signs in at once.
    assert sign_in(Client(), "activista", PASSWORD, address="10.2.0.7").status_code == 429
    assert signed_in(sign_in(own, "activista", PASSWORD, address="10.2.0.1"))

    # Thirty seconds after the last failure, anybody may try again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=31))
    assert sign_in(client, "activista", "guess-y", address="10.1.9.9").status_code == 200


def test_a_shared_phone_is_not_remembered(client, activist):
    response = sign_in(client, "activista", PASSWORD, shared_device="on")
    assert signed_in(response)
    assert DEVICE_COOKIE not in response.cookies


@override_settings(SIGNIN_ADDRESS_COOLDOWN_AFTER=20)
def test_an_address_trying_many_names_waits_between_tries(client, db):
    people = [person(Role.ACTIVIST) for _ in range(5)]
    for n in range(20):
        sign_in(client, people[n % 5].username, f"guess{n}", address="10.5.0.1")
    assert sign_in(client, people[0].username, "again", address="10.5.0.1").status_code == 429
    assert sign_in(client, people[0].username, "again", address="10.5.0.2").status_code == 200


def test_successful_sign_ins_are_in_the_audit_log(client, activist):
    sign_in(client, "activista", "wrong")
    assert signed_in(sign_in(client, "activista", PASSWORD))
    [entry] = entries(activist, AuditLogEntry.Action.SIGN_IN)
    assert entry.actor == activist and entry.after["via"] == "site"
    assert not AccessAttempt.objects.exists()  # a success forgets the failures


def test_unknown_names_leave_no_audit_entry(client, db):
    before = AuditLogEntry.objects.count()
    sign_in(client, "mi-clave-secreta", "x")
    assert AuditLogEntry.objects.count() == before


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_client_address_counts_on_its_own(client, activist):
    def through_proxy(password, address):
        return client.post(
            reverse("login"),
            {"username": "activista", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    for n in range(5):
        through_proxy(f"guess{n}", "203.0.113.66")
    assert through_proxy(PASSWORD, "203.0.113.66").status_code == 429
    assert signed_in(through_proxy(PASSWORD, "198.51.100.7"))
