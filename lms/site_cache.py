"""Wagtail's site lookup, kept in each server process instead of asked of the database.

Every request that serves a page or builds a page URL asks which Wagtail site answers this host
(one query) and where the site roots are (a cache read). Both change only when pages or sites
do, so each process keeps them in memory and hands them to Wagtail through the attributes it
looks for on the request. They are dropped at once in the process that changes a page or a
site, and in every other process within ``SITE_CACHE_CHECK_SECONDS``, when it sees that the
shared page-cache generation (lms/page_cache.py) moved on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from lms.page_cache import GENERATION_KEY

_MISSING = object()


class _SiteState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = 0.0
        self.generation: object = _MISSING
        self.sites: dict[tuple[str, int], object] = {}
        self.root_paths: object = _MISSING
        self.epoch = 0  # moves on at each clear, so a lookup made before it is not kept

    def clear(self) -> None:
        with self.lock:
            self.epoch += 1
            self.sites = {}
            self.root_paths = _MISSING
            self.checked_at = 0.0

    def revalidate(self) -> None:
        """Compare with the shared generation at most once per check period."""
        now = time.monotonic()
        if now - self.checked_at < settings.SITE_CACHE_CHECK_SECONDS:
            return
        try:
            generation = cache.get(GENERATION_KEY)
        except Exception:  # the cache down: keep what this process knows
            return
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                self.epoch += 1
                self.sites = {}
                self.root_paths = _MISSING
            self.checked_at = now


_state = _SiteState()


def forget_sites() -> None:
    """A page or a site changed in this process (called by lms/page_cache.py)."""
    _state.clear()


class WagtailSiteCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Hand Wagtail what this process knows; keep what Wagtail looked up itself, so a
        request that needs no site costs nothing."""
        _state.revalidate()
        epoch = _state.epoch
        key = (split_domain_port(request._get_raw_host())[0], request.get_port())
        site = _state.sites.get(key, _MISSING)
        if site is not _MISSING:
            request._wagtail_site = site
        root_paths = _state.root_paths
        if root_paths is not _MISSING:
            request._wagtail_cached_site_root_paths = root_paths
        response = self.get_response(request)
        with _state.lock:
            if _state.epoch == epoch:
                if site is _MISSING and hasattr(request, "_wagtail_site"):
                    _state.sites[key] = request._wagtail_site
                if root_paths is _MISSING and hasattr(request, "_wagtail_cached_site_root_paths"):
                    _state.root_paths = request._wagtail_cached_site_root_paths
        return response
