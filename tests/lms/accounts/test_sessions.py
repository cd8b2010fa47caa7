"""Sessions on shared phones: the cookie ends with the browser, the session after an idle
time, sooner on a phone marked as not one's own; signed-in pages are never stored."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from lms.accounts.sessions import IDLE_LIMIT_KEY, SEEN_KEY
from lms.roles import Role
from tests.factories import person


def sign_in(client, user, **extra):
    response = client.post(
        reverse("login"), {"username": user.username, "password": "demo12345", **extra}
    )
    assert response.status_code == 302
    return response


def idle_for(client, minutes: int) -> None:
    session = client.session
    session[SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


@pytest.mark.parametrize(
    ("role", "shared", "minutes"),
    [(Role.ACTIVIST, False, 120), (Role.ACTIVIST, True, 15), (Role.TRAINER, False, 480)],
)
def test_a_session_ends_after_its_idle_time(client, db, role, shared, minutes):
    user = person(role)
    response = sign_in(client, user, **({"shared_device": "on"} if shared else {}))
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # ends with the browser
    assert client.session[IDLE_LIMIT_KEY] == minutes
    page = reverse("home:dashboard")

    idle_for(client, minutes - 1)
    assert client.get(page).status_code == 200
    idle_for(client, minutes + 1)
    signed_out = client.get(page)
    assert signed_out.status_code == 302 and signed_out.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


@override_settings(SESSION_IDLE_MINUTES_ACTIVIST=30)
def test_the_idle_time_is_configurable(client, db):
    sign_in(client, person(Role.ACTIVIST))
    assert client.session[IDLE_LIMIT_KEY] == 30


def test_a_device_signed_out_while_idle_is_answered_in_json(client, db):
    sign_in(client, person(Role.TRAINER))
    idle_for(client, 481)
    response = client.get(reverse("home:dashboard"), HTTP_ACCEPT="application/json")
    assert response.status_code == 401 and response.json()["error"] == "signed_out"


def test_personal_pages_are_never_stored(client, db):
    public = client.get("/verificar/")
    assert "no-store" not in public.get("Cache-Control", "")
    sign_in(client, person(Role.ACTIVIST))
    for path in (reverse("courses:my_courses"), reverse("home:dashboard"), "/verificar/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], path
