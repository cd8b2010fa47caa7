"""Figures that cost a whole analysis, kept in the cache until the next response is submitted.

Every cached figure is stored under the current *responses generation*, a number that
:func:`responses_changed` moves on after each commit that submits, withdraws or deletes
responses; an older generation's figures are never read again (and expire on their own). With
a cache shared by all processes every process sees the new generation at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "analytics:responses-generation"
#: A cached figure lives at most this long even if nothing changes (seconds).
TIMEOUT = 6 * 60 * 60

T = TypeVar("T")


def responses_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def responses_changed() -> None:
    """Responses were submitted, withdrawn or deleted: after the commit, no cached figure of
    the responses is served any more."""

    def bump() -> None:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any new value will do
            cache.set(GENERATION_KEY, responses_generation() + 1, timeout=None)

    transaction.on_commit(bump)


def cached_figure(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per responses generation and `key`."""
    return cache.get_or_set(f"analytics:{responses_generation()}:{key}", compute, timeout=TIMEOUT)
