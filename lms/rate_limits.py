"""Counting events per client in fixed windows, in the shared cache: one small limiter for the
public forms that have no rows of their own to count (a forgotten password, say).

In production the cache is shared by every process, so the count holds across them; a
development or test process counts on its own."""

import hashlib
import time

from django.core.cache import cache


def rate_limited(scope: str, key: str, *, limit: int, window_seconds: int) -> int | None:
    """Count one event of `key` (an address, a user name) in `scope`. None while at most `limit`
    happened in the current window, else the seconds until the window ends."""
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cache_key = f"rate:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * window_seconds - now))
