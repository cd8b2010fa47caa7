"""Signed-in pages are replayed to the same session only while no data changed."""

import re

import pytest
from django.test import Client

from tests.factories import SessionDeliveryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROUTES = frozenset({"home:dashboard", "courses:cohort_detail", "courses:attendance_sheet"})


@pytest.fixture
def trainer_client(settings, cohort_setup):
    settings.SESSION_PAGE_CACHE_ROUTES = ROUTES
    client = Client()
    client.force_login(cohort_setup["trainer"])
    client.get("/panel/")  # the login's own write starts its generation here
    return client


def test_a_repeated_visit_is_one_cache_read(trainer_client, django_assert_max_num_queries):
    first = trainer_client.get("/panel/")
    assert "X-Page-Cache" not in first
    with django_assert_max_num_queries(1):
        again = trainer_client.get("/panel/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    # Replayed on the server, never kept by the browser for the next person on the phone.
    assert "no-store" in first["Cache-Control"] and "no-store" in again["Cache-Control"]


def test_a_saved_sheet_shows_at_once_and_the_replayed_form_still_saves(
    trainer_client, cohort_setup
):
    cohort = cohort_setup["cohort"]
    delivery = SessionDeliveryFactory(cohort=cohort, session=cohort_setup["sessions"][0])
    sheet = f"/grupos/{cohort.pk}/sesiones/{delivery.pk}/asistencia/"
    detail = f"/grupos/{cohort.pk}/"
    trainer_client.get(sheet)
    replayed = trainer_client.get(sheet)
    assert replayed["X-Page-Cache"] == "hit"
    trainer_client.get(detail)
    assert trainer_client.get(detail)["X-Page-Cache"] == "hit"

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', replayed.content.decode())
    marks = {f"status-{e.pk}": "A" for e in cohort_setup["enrollments"]}
    saved = trainer_client.post(sheet, {"csrfmiddlewaretoken": token.group(1), **marks})
    assert saved.status_code == 302
    assert delivery.attendance.filter(status="A").count() == len(cohort_setup["enrollments"])

    with_message = trainer_client.get(saved["Location"])
    assert "X-Page-Cache" not in with_message
    assert "Attendance saved" in with_message.content.decode() or "Asistencia" in (
        with_message.content.decode()
    )
    fresh = trainer_client.get(detail)  # the page with the message was not stored
    assert "X-Page-Cache" not in fresh
    assert trainer_client.get(detail)["X-Page-Cache"] == "hit"


def test_another_session_and_a_logged_out_cookie_never_get_the_page(
    settings, trainer_client, cohort_setup
):
    trainer_client.get("/panel/")
    assert trainer_client.get("/panel/")["X-Page-Cache"] == "hit"
    other = Client()
    other.force_login(cohort_setup["trainer"])
    assert "X-Page-Cache" not in other.get("/panel/")

    old_cookie = trainer_client.cookies["sessionid"].value
    trainer_client.post("/cuenta/salir/")
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    replay.cookies["csrftoken"] = trainer_client.cookies["csrftoken"].value
    response = replay.get("/panel/")
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
