"""Redis as the shared cache, without making Redis a single point of failure.

The cache holds nothing that is not also somewhere else (sessions are in the database, pages
are rendered again, counters start again), so when Redis is stopped or unreachable the site
keeps working: a read misses, a write is dropped, a counter starts from one, and the failure is
logged. After a failure Redis is left alone for ``PAUSE_SECONDS``, so that a request does not
pay a connection attempt for every cache call while it is down.

``get_or_set`` is Django's own, built on :meth:`get` and :meth:`add`: it computes the value
only when the key is missing, and with Redis down it computes it and hands it back.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 10.0
_MISSING = object()


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def probe(self) -> None:
        """Ask Redis itself, raising its error: for the health check, which must see it."""
        self._cache.get_client(None, write=True).ping()

    def _available(self) -> bool:
        return time.monotonic() >= ResilientRedisCache._down_until

    def _failed(self, operation: str) -> None:
        ResilientRedisCache._down_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("cache: Redis unavailable (%s); carrying on without it", operation)

    def _try(self, operation: str, call, fallback):
        if not self._available():
            return fallback
        try:
            return call()
        except ValueError:  # incr of a missing key: the caller's business
            raise
        except Exception:
            self._failed(operation)
            return fallback

    def get(self, key, default=None, version=None):
        return self._try(
            "get", lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._try(
            "get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {}
        )

    def set(self, key, value, timeout=_MISSING, version=None):
        kwargs = {} if timeout is _MISSING else {"timeout": timeout}
        self._try(
            "set",
            lambda: super(ResilientRedisCache, self).set(key, value, version=version, **kwargs),
            None,
        )

    def add(self, key, value, timeout=_MISSING, version=None):
        kwargs = {} if timeout is _MISSING else {"timeout": timeout}
        return self._try(
            "add",
            lambda: super(ResilientRedisCache, self).add(key, value, version=version, **kwargs),
            False,
        )

    def set_many(self, data, timeout=_MISSING, version=None):
        kwargs = {} if timeout is _MISSING else {"timeout": timeout}
        return self._try(
            "set_many",
            lambda: super(ResilientRedisCache, self).set_many(data, version=version, **kwargs),
            list(data),
        )

    def incr(self, key, delta=1, version=None):
        if not self._available():
            raise ValueError("Redis is unavailable")
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception:
            self._failed("incr")
            raise ValueError("Redis is unavailable") from None

    def delete(self, key, version=None):
        return self._try(
            "delete", lambda: super(ResilientRedisCache, self).delete(key, version), False
        )

    def delete_many(self, keys, version=None):
        self._try(
            "delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None
        )

    def has_key(self, key, version=None):
        return self._try(
            "has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False
        )

    def touch(self, key, timeout=_MISSING, version=None):
        kwargs = {} if timeout is _MISSING else {"timeout": timeout}
        return self._try(
            "touch",
            lambda: super(ResilientRedisCache, self).touch(key, version=version, **kwargs),
            False,
        )

    def clear(self):
        return self._try("clear", lambda: super(ResilientRedisCache, self).clear(), False)
