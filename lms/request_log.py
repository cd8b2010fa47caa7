"""One log line per request, and a JSON formatter for log collectors (`LOG_FORMAT=json`).

The line carries the method, the route's template (``cohorts/<int:cohort_id>/``, never the ids,
query strings or anything typed into a form), the status, the duration and the user's id,
and never a name or an answer. The user is only named when the view already loaded it, so
logging costs no query.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("lms.request")

UNMATCHED = "<unmatched>"
CMS_PAGE = "<page>"
# Standard LogRecord attributes: everything else on a record is an `extra` field.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def route_template(request: HttpRequest) -> str:
    """The URL pattern that served the request, or a marker when no pattern did."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return getattr(request, "route_label", UNMATCHED)
    if match.url_name == "wagtail_serve":
        # Wagtail routes every page through one catch-all pattern; its regex says nothing.
        prefix = "/en/" if match.route.startswith("en/") else "/"
        return prefix + CMS_PAGE
    return "/" + match.route


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None  # never loaded by the view: do not load it just to log it
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        route = route_template(request)
        user_id = _user_id(request)
        logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            route,
            response.status_code,
            duration_ms,
            user_id if user_id is not None else "-",
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _RECORD_FIELDS
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
