"""Anonymous curriculum pages are served whole from the shared cache and never go stale."""

import pytest

from lms.roles import Role
from tests.factories import UserFactory

SAFETY_TITLE = "Si alguien cuenta que vive violencia"


def page_url(page) -> str:
    return page.url_path.removeprefix("/inicio")


@pytest.fixture
def warm(client, session_page):
    """The session page, rendered once for an anonymous visitor (a miss that stores it)."""
    first = client.get(page_url(session_page))
    assert first.status_code == 200 and "X-Page-Cache" not in first
    return session_page


def test_a_second_anonymous_visit_is_one_cache_read(client, warm, django_assert_num_queries):
    with django_assert_num_queries(1):  # the shared cache lives in the test database
        again = client.get(page_url(warm))
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert warm.title in again.content.decode()
    assert again["Content-Language"] == "es-pe"
    assert again["X-Frame-Options"] == "DENY"


def test_english_and_spanish_are_stored_apart(client, warm):
    english = client.get("/en" + page_url(warm))
    spanish = client.get(page_url(warm))
    assert english["Content-Language"] == "en" and "X-Page-Cache" not in english
    assert spanish["X-Page-Cache"] == "hit" and '<html lang="es">' in spanish.content.decode()


def test_a_published_change_shows_at_once(client, warm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        warm.title = "Sesión renovada"
        warm.save_revision().publish()
    fresh = client.get(page_url(warm))
    assert "X-Page-Cache" not in fresh
    assert "Sesión renovada" in fresh.content.decode()
    assert client.get(page_url(warm))["X-Page-Cache"] == "hit"


def test_unpublishing_takes_the_page_away_at_once(client, warm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        warm.unpublish()
    assert client.get(page_url(warm)).status_code == 404


def test_a_trainer_sees_the_notes_and_never_the_anonymous_copy(client, warm):
    anonymous = client.get(page_url(warm)).content.decode()
    assert SAFETY_TITLE not in anonymous
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    trainer = client.get(page_url(warm))
    assert "X-Page-Cache" not in trainer
    assert SAFETY_TITLE in trainer.content.decode()
    client.logout()
    assert SAFETY_TITLE not in client.get(page_url(warm)).content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_rendered_page(client, warm):
    client.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in client.get(page_url(warm))


def test_query_strings_and_missing_pages_are_never_stored(client, curriculum_index):
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/curriculo/?tema=genero")
        assert client.get("/curriculo/no-existe/").status_code == 404
    assert "X-Page-Cache" not in client.get("/buscar/")
