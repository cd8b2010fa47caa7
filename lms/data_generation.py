"""The data generation: a token in the shared cache that changes whenever data is written.

Every INSERT, UPDATE or DELETE that reaches the database through Django (the ORM, bulk
operations and raw SQL alike, in web and worker processes) on any table but the cache's own
marks its connection; when the transaction commits, or at once in autocommit, a new generation
starts. Whatever is cached under a generation (lms/page_cache.py) is therefore never older
than the data it was computed from.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "data:generation"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _ignored_tables() -> frozenset[str]:
    return frozenset(
        entry["LOCATION"]
        for entry in settings.CACHES.values()
        if entry["BACKEND"].endswith("DatabaseCache")
    )


def current_generation() -> str:
    """The current token, creating one if the cache lost it."""
    return cache.get_or_set(GENERATION_KEY, uuid.uuid4().hex, None)


def start_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # an unreachable cache holds nothing that could be stale
        logger.warning("data generation: could not start a new one", exc_info=True)


def _writes_data(sql: str) -> bool:
    head = sql.lstrip()[:7].upper()
    if not head.startswith(WRITES):
        return False
    ignored = _ignored_tables()
    return not ignored or not any(table in sql[:200] for table in ignored)


class _WriteWatcher:
    """An execute wrapper (one per connection) that starts one new generation per committed
    write: inside a transaction once it commits (a rolled-back one starts none); in autocommit
    just before the connection's next statement outside a transaction, or when the request or
    task ends. Never in
    between a statement and the reading of its results, which the cache (when it lives in the
    database) would disturb."""

    def __init__(self, connection):
        self.connection = connection
        self.pending = False

    def __call__(self, execute, sql, params, many, context):
        if not self.connection.in_atomic_block:
            # Never inside a transaction: a failing cache write (a database cache whose table
            # is not there yet) must not abort someone else's transaction.
            self.flush()
        result = execute(sql, params, many, context)
        if isinstance(sql, str) and _writes_data(sql):
            if not self.connection.in_atomic_block:
                self.pending = True
            elif not self._scheduled():
                transaction.on_commit(start_generation, using=self.connection.alias)
        return result

    def _scheduled(self) -> bool:
        return any(entry[1] is start_generation for entry in self.connection.run_on_commit)

    def flush(self) -> None:
        if self.pending and not self.connection.in_atomic_block:
            self.pending = False
            start_generation()


def watch_connection(sender, connection, **kwargs) -> None:
    """connection_created receiver: watch every new database connection's writes."""
    if not any(isinstance(w, _WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteWatcher(connection))


def flush_pending(**kwargs) -> None:
    """request_finished and task_postrun receiver: the last autocommit write of a request or
    a task starts its generation now."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        for wrapper in connection.execute_wrappers:
            if isinstance(wrapper, _WriteWatcher):
                wrapper.flush()
