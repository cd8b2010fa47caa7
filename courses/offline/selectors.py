"""What a trainer's device stores before going where there is no connection.

For each open cohort the trainer manages: its sessions of today and later (not cancelled),
each with the addresses of its attendance sheet and its facilitator guide, which the device
keeps as pages. The roster travels inside the sheet page: names and roster numbers, never
participant codes. Nothing about questionnaires is ever part of it. A fixed number of queries,
whatever the number of cohorts and sessions."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from courses.models import Cohort, SessionDelivery
from courses.offline.paper import sheet_code
from courses.selectors.delivery import trainer_cohorts


@dataclass(frozen=True)
class PreparedSession:
    delivery: SessionDelivery
    sheet_url: str
    guide_url: str
    sync_url: str

    @property
    def code(self) -> str:
        return sheet_code(self.delivery.pk)


@dataclass(frozen=True)
class PreparedCohort:
    cohort: Cohort
    sessions: list[PreparedSession]


@dataclass(frozen=True)
class OfflineBundle:
    prepared_at: datetime
    cohorts: list[PreparedCohort]

    def page_urls(self) -> list[str]:
        """Every page the device keeps, each once (cohorts of one course share the guides)."""
        urls = []
        for prepared in self.cohorts:
            for session in prepared.sessions:
                urls += [session.sheet_url, session.guide_url]
        return list(dict.fromkeys(urls))


def offline_bundle(user: AbstractBaseUser, *, request: HttpRequest) -> OfflineBundle:
    now = timezone.now()
    today_starts = timezone.make_aware(
        datetime.combine(timezone.localdate(now), datetime.min.time())
    )
    cohorts = list(trainer_cohorts(user))
    deliveries = (
        SessionDelivery.objects.filter(cohort__in=cohorts, scheduled_at__gte=today_starts)
        .exclude(status=SessionDelivery.Status.CANCELLED)
        .select_related("session")
        .order_by("scheduled_at", "pk")
    )
    by_cohort: dict[int, list[PreparedSession]] = {cohort.pk: [] for cohort in cohorts}
    for delivery in deliveries:
        session = delivery.session
        args = [delivery.cohort_id, delivery.pk]
        by_cohort[delivery.cohort_id].append(
            PreparedSession(
                delivery=delivery,
                sheet_url=reverse("courses:attendance_sheet", args=args),
                guide_url=session.get_url(request=request)
                + session.reverse_subpage("facilitator_guide"),
                sync_url=reverse("courses:attendance_sync", args=args),
            )
        )
    return OfflineBundle(
        prepared_at=now,
        cohorts=[PreparedCohort(cohort=c, sessions=by_cohort[c.pk]) for c in cohorts],
    )
