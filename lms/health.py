"""`/health/`: the state of the database, the cache, the broker and the media storage.

Answered by the first middleware, before the HTTPS redirect, the host check, sessions and the
request log, so that a load balancer or a probe on the machine itself can call it every few
seconds at the cost of a handful of cheap operations. It needs no login and says nothing
personal: each part reports ``ok``, ``failing`` (with the error's class, details go to the
server log) or ``not_configured`` (no broker: tasks run in the web process), and the answer is
200 unless a configured part fails, then 503 naming the parts that failed.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/health/"
OK, FAILING, NOT_CONFIGURED = "ok", "failing", "not_configured"
BROKER_TIMEOUT = 2.0  # seconds; a probe must answer well within a balancer's own timeout

logger = logging.getLogger("lms.health")


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK, "backend": connection.vendor}


def check_cache() -> dict:
    probe = getattr(cache, "probe", None)
    if probe is not None:  # lms/cache.py carries on without Redis: ask Redis itself
        probe()
    key, value = "health:probe", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")
    path = settings.CACHES["default"]["BACKEND"]
    return {
        "status": OK,
        "backend": "redis" if path.endswith("RedisCache") else path.rsplit(".", 2)[-2],
    }


@lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT
    )


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": NOT_CONFIGURED, "detail": "tasks run in the web process"}
    client = _redis_client(settings.CELERY_BROKER_URL)
    client.ping()
    # Celery's default queue is a Redis list: its length is the backlog of tasks.
    return {"status": OK, "backend": "redis", "queued": client.llen("celery")}


def check_storage() -> dict:
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        location = storage.location
        if not os.path.isdir(location) or not os.access(location, os.W_OK | os.X_OK):
            raise PermissionError("the media folder is missing or not writable")
    elif hasattr(storage, "bucket_name"):  # S3-compatible: one request, fails on bad bucket/keys
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    else:
        storage.exists(".health-probe")
    return {"status": OK, "backend": type(storage).__name__}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


def health_report() -> tuple[int, dict]:
    """Run every check; return the HTTP status and the report."""
    parts: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as error:  # a failing part is the answer, never a server error
            logger.warning("health check %s failed: %r", name, error)
            result = {"status": FAILING, "error": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        parts[name] = result
    failing = [name for name, part in parts.items() if part["status"] == FAILING]
    report = {"status": FAILING if failing else OK, "failing": failing, "checks": parts}
    return (503 if failing else 200), report


class HealthCheckMiddleware:
    """Answers `/health/` before any other middleware runs (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        status, report = health_report()
        response = JsonResponse(report, status=status)
        response["Cache-Control"] = "no-store"
        return response
