"""Wagtail's site lookup is kept per process and dropped when a page or a site changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site as WagtailSite

from lms.page_cache import GENERATION_KEY

pytestmark = pytest.mark.django_db


def site_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('"wagtailcore_site"' in q["sql"] for q in queries.captured_queries)


def test_a_second_request_asks_the_database_for_no_site(client, course):
    path = course.url_path.removeprefix("/inicio") + "?x=1"  # past the anonymous page cache
    assert site_queries(client, path) > 0
    assert site_queries(client, path) == 0


def test_a_change_to_the_site_is_seen_at_once_in_this_process(
    client, course, django_capture_on_commit_callbacks
):
    path = course.url_path.removeprefix("/inicio") + "?x=1"  # past the anonymous page cache
    site_queries(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        WagtailSite.objects.get(is_default_site=True).save()
    assert site_queries(client, path) > 0


def test_another_process_change_is_seen_after_the_check_period(client, course, settings):
    path = course.url_path.removeprefix("/inicio") + "?x=1"
    settings.SITE_CACHE_CHECK_SECONDS = 0  # check on every request
    site_queries(client, path)
    assert site_queries(client, path) == 0
    cache.set(GENERATION_KEY, "set by another process", None)
    assert site_queries(client, path) > 0
