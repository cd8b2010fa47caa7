"""Who cannot sign in right now, and unlocking them: coordinators, for the people of their site.

A selector lists the throttle's current locks and cool-downs by person (within the user's
scope, through :mod:`lms.access`); the service removes a person's failed attempts, which ends
both, and records it in the audit log. The Wagtail admin page is in ``lms.accounts.admin_views``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from lms import access
from lms.audit import audit_record
from lms.models import AuditLogEntry

User = get_user_model()


@dataclass(frozen=True)
class SignInLock:
    user: AbstractBaseUser
    failures: int
    places: int  # client addresses the failures came from
    locked: bool  # at least one address has reached the limit
    cooling: bool  # many failures from several places: each try waits
    until: datetime


def sign_in_locks(actor: AbstractBaseUser) -> list[SignInLock]:
    """People in `actor`'s scope with failed sign-ins in the throttle's window, most first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    by_username = {
        row["username"]: row
        for row in AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"),
            places=Count("ip_address", distinct=True),
            last=Max("attempt_time"),
            worst=Max("failures_since_start"),
        )
    }
    if not by_username:
        return []
    people = access.manageable(actor, User.objects.filter(username__in=list(by_username)))
    locks = []
    for user in people.order_by("last_name", "first_name", "username"):
        row = by_username[user.username]
        locks.append(
            SignInLock(
                user=user,
                failures=row["failures"],
                places=row["places"],
                locked=row["worst"] >= settings.AXES_FAILURE_LIMIT,
                cooling=row["failures"] >= settings.SIGNIN_COOLDOWN_AFTER,
                until=timezone.localtime(row["last"] + settings.AXES_COOLOFF_TIME),
            )
        )
    return sorted(locks, key=lambda lock: -lock.failures)


@transaction.atomic
def sign_in_unlock(*, actor: AbstractBaseUser, user: AbstractBaseUser) -> int:
    """Forget `user`'s failed sign-ins from every address; returns how many records went."""
    removed = reset(username=user.get_username())
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UNLOCKED,
        instance=user,
        site=access.home_site_id(user),
        after={"attempts_removed": removed},
    )
    return removed
