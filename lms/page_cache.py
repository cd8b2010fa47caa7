"""Whole-page caches: the curriculum pages anonymous visitors read, and the pages a signed-in
person opens again and again (a dashboard, a sheet), each for that session only.

Anonymous pages:

1. Only a GET or HEAD with no query string and no session or messages cookie (so nobody is
   logged in and nothing is waiting to be shown) is looked up or stored.
2. A response is stored only when a Wagtail page of a type in ``ANONYMOUS_PAGE_CACHE_TYPES``
   answered 200, set no cookie and used no CSRF token; everything else passes untouched.
3. A hit costs one round trip to the shared cache (``get_many`` of the page and the current
   generation) and skips sessions, the site and page lookup, the ORM and the templates.
4. Any change to pages, Wagtail sites, programme sites or tags, and every ``migrate`` (each
   deploy), starts a new generation after the transaction commits: a published change shows at
   once, in every server process. Entries also expire after ``PAGE_CACHE_SECONDS``.
5. If the cache is unreachable the page is rendered as if there were no cache.

Signed-in pages (``SessionPageCacheMiddleware``):

6. Only the routes named in ``SESSION_PAGE_CACHE_ROUTES``, for a GET or HEAD with a session
   cookie and no messages cookie; the key is the session, the CSRF cookie and the full path,
   so an entry is only ever replayed to the browser it was made for.
7. An entry is stored under the data generation (lms/data_generation.py), which changes with
   every committed write, logging out and role changes included: a replayed page never shows
   older data than the database holds. Entries expire after ``SESSION_PAGE_CACHE_SECONDS``,
   so what depends on the clock (the next session, open questionnaires) is at most that late.
8. A page that showed a message, set a cookie other than the same CSRF cookie, or answered
   anything but 200 is never stored.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from lms import data_generation

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
KEY_PREFIX = "page-cache:page:"
# Cookies that mean the page may differ for this visitor.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Response headers that are not replayed from the cache.
UNSTORED_HEADERS = frozenset({"set-cookie", "content-length"})


def _generation_token() -> str:
    return uuid.uuid4().hex


# Things a process keeps from the pages (lms/site_cache.py), dropped when a generation starts.
_local_forgetters: list[Callable[[], None]] = []


def on_invalidate(forget: Callable[[], None]) -> None:
    _local_forgetters.append(forget)


def _start_generation() -> None:
    for forget in _local_forgetters:
        forget()
    try:
        cache.set(GENERATION_KEY, _generation_token(), None)
    except Exception:  # an unreachable cache holds no pages to invalidate
        logger.warning("page cache: could not start a new generation", exc_info=True)


def invalidate_pages() -> None:
    """Start a new generation once the current transaction commits (at once outside one).

    A request that read the old content before the commit stores it under the generation it
    read before rendering, which the commit has made stale; nothing old outlives the commit."""
    for forget in _local_forgetters:
        forget()
    transaction.on_commit(_start_generation)


def _page_key(request: HttpRequest) -> str:
    address = f"{request.get_host()}{request.path}".encode()
    return KEY_PREFIX + hashlib.sha256(address).hexdigest()


def _is_candidate(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not any(request.COOKIES.get(name) for name in PERSONAL_COOKIES)
    )


def _served_page_type(response: HttpResponse) -> str | None:
    page = (getattr(response, "context_data", None) or {}).get("page")
    return page._meta.label_lower if page is not None else None


def _is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and match is not None
        and match.url_name == "wagtail_serve"
        and _served_page_type(response) in settings.ANONYMOUS_PAGE_CACHE_TYPES
    )


def _entry(generation: str, response: HttpResponse) -> tuple:
    headers = [(k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS]
    return (generation, headers, response.content)


def _response(entry: tuple) -> HttpResponse:
    _generation, headers, content = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Serves and stores whole anonymous curriculum pages (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_candidate(request):
            return self.get_response(request)
        key = _page_key(request)
        try:
            found = cache.get_many([key, GENERATION_KEY])
        except Exception:
            logger.warning("page cache: unreachable, rendering the page", exc_info=True)
            return self.get_response(request)
        generation, entry = found.get(GENERATION_KEY), found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            request.route_label = "<cached page>"
            return _response(entry)
        response = self.get_response(request)
        if _is_storable(request, response):
            try:
                if generation is None:
                    generation = cache.get_or_set(GENERATION_KEY, _generation_token(), None)
                cache.set(key, _entry(generation, response), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: could not store a page", exc_info=True)
        return response


def _invalidate_on_change(sender, instance, **kwargs) -> None:
    if isinstance(instance, _invalidating_types()):
        invalidate_pages()


def invalidate_after_migrate(sender, **kwargs) -> None:
    """post_migrate handler: each deploy migrates, and new code may render pages differently."""
    invalidate_pages()


def _invalidating_types() -> tuple[type, ...]:
    from taggit.models import Tag
    from wagtail.models import Page
    from wagtail.models import Site as WagtailSite

    from lms.models import Site

    return (Page, WagtailSite, Site, Tag)


def connect_invalidation() -> None:
    """Connect the signals that start a new generation; called once from the app config."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_unpublished, post_page_move

    post_save.connect(_invalidate_on_change, dispatch_uid="page_cache_save")
    post_delete.connect(_invalidate_on_change, dispatch_uid="page_cache_delete")
    page_unpublished.connect(_invalidate_on_change, dispatch_uid="page_cache_unpublish")
    post_page_move.connect(_invalidate_on_change, dispatch_uid="page_cache_move")


def _session_route(request: HttpRequest) -> str | None:
    """The view name of a request's route (resolved in the language of its URL prefix)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _session_key(request: HttpRequest) -> str | None:
    if request.method not in ("GET", "HEAD") or request.COOKIES.get("messages"):
        return None
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session or _session_route(request) not in settings.SESSION_PAGE_CACHE_ROUTES:
        return None
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    address = f"{request.get_host()}{request.get_full_path()}|{session}|{csrf}".encode()
    return "page-cache:session:" + hashlib.sha256(address).hexdigest()


def _showed_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "_loaded_messages", None))


def _is_storable_for_session(request: HttpRequest, response: HttpResponse) -> bool:
    csrf_cookie = response.cookies.get(settings.CSRF_COOKIE_NAME)
    same_csrf = csrf_cookie is None or csrf_cookie.value == request.COOKIES.get(
        settings.CSRF_COOKIE_NAME
    )
    other_cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
    return (
        response.status_code == 200
        and not response.streaming
        and same_csrf
        and not other_cookies
        and not _showed_messages(request)
        and (
            "no-store" not in response.get("Cache-Control", "")
            or getattr(response, "no_store_for_browsers_only", False)
        )
    )


class SessionPageCacheMiddleware:
    """Replays a signed-in page to the same session while no data changed (see point 6)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _session_key(request)
        if key is None:
            return self.get_response(request)
        try:
            found = cache.get_many([key, data_generation.GENERATION_KEY])
        except Exception:
            logger.warning("page cache: unreachable, rendering the page", exc_info=True)
            return self.get_response(request)
        generation, entry = found.get(data_generation.GENERATION_KEY), found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            request.route_label = "<cached page>"
            return _response(entry)
        response = self.get_response(request)
        if _is_storable_for_session(request, response):
            try:
                if generation is None:
                    generation = data_generation.current_generation()
                stored = _entry(generation, response)
                cache.set(key, stored, settings.SESSION_PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: could not store a page", exc_info=True)
        return response
