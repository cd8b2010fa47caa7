"""Reads of the data-rights pages, scoped by :mod:`lms.access`: her own requests and downloads,
and the queue of her site's requests for a coordinator (overdue first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from lms import access
from lms.models import DataRightsRequest, PersonalDataExport

OPEN = Q(status__in=DataRightsRequest.OPEN_STATUSES)
#: How many of her downloads "My data" lists.
RECENT_DOWNLOADS = 3


def my_requests(user: AbstractBaseUser) -> QuerySet[DataRightsRequest]:
    return access.owned(user, DataRightsRequest).order_by("-received_at", "-pk")


def my_downloads(user: AbstractBaseUser) -> list[PersonalDataExport]:
    return list(access.owned(user, PersonalDataExport).order_by("-requested_at")[:RECENT_DOWNLOADS])


def requests_queue(
    user: AbstractBaseUser, *, open_only: bool = True, today: dt.date | None = None
) -> QuerySet[DataRightsRequest]:
    """The requests of the sites she coordinates: overdue first, then by due date."""
    today = today or timezone.localdate()
    queue = access.coordinated(user, DataRightsRequest).select_related(
        "person", "site", "handled_by"
    )
    if open_only:
        queue = queue.filter(OPEN)
    overdue = Case(
        When(OPEN & Q(due_on__lt=today), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queue.annotate(overdue_rank=overdue).order_by("overdue_rank", "due_on", "pk")


@dataclass(frozen=True)
class RequestFigures:
    open: int
    overdue: int
    due_soon: int  # open, due within the next week


def request_figures(user: AbstractBaseUser, *, today: dt.date | None = None) -> RequestFigures:
    """What the coordinator's dashboard counts, in one query."""
    today = today or timezone.localdate()
    counts = access.coordinated(user, DataRightsRequest).aggregate(
        open=Count("pk", filter=OPEN),
        overdue=Count("pk", filter=OPEN & Q(due_on__lt=today)),
        due_soon=Count(
            "pk",
            filter=OPEN & Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7)),
        ),
    )
    return RequestFigures(**counts)
