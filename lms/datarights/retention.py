"""Retention: each kind of data is kept only as long as the data-protection settings say.

Each app registers the rules for what it keeps, in its ``personal_data.py`` beside its parts::

    register_retention(RetentionRule(
        key="certificates.lookups",
        label=_("Certificate verification lookups"),
        order=200,
        apply=lookups_expire,  # (settings, now, dry_run) -> count, or None: no period set
    ))

:func:`retention_apply` runs every rule in order (the audit log's last, so that what the
others did is logged before old entries go): the daily periodic job and
``manage.py apply_retention [--dry-run]`` call it. Every rule is idempotent: a second run on
the same day finds nothing more to do. A dry run counts and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from lms.audit import audit_record
from lms.models import AuditLogEntry, DataProtectionSettings


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: Promise | str
    order: int
    apply: Callable[[DataProtectionSettings, dt.datetime, bool], int | None]


@dataclass(frozen=True)
class RetentionOutcome:
    rule: RetentionRule
    count: int | None  # None: no retention period set, everything is kept


_RULES: dict[str, RetentionRule] = {}


def register_retention(rule: RetentionRule) -> RetentionRule:
    existing = _RULES.get(rule.key)
    if existing is not None and existing != rule:
        raise ValueError(f"Another retention rule is already registered as {rule.key!r}")
    _RULES[rule.key] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    autodiscover_modules("personal_data")
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.key))


def months_before(now: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    that month is shorter)."""
    years, month = divmod(now.month - 1 - months, 12)
    year, month = now.year + years, month + 1
    return now.replace(year=year, month=month, day=min(now.day, monthrange(year, month)[1]))


def retention_apply(
    *, now: dt.datetime | None = None, dry_run: bool = False
) -> list[RetentionOutcome]:
    """Apply every rule; outside a dry run, one audit entry records what was removed."""
    now = now or timezone.now()
    settings = DataProtectionSettings.load()
    outcomes = []
    for rule in retention_rules():
        with transaction.atomic():
            outcomes.append(RetentionOutcome(rule=rule, count=rule.apply(settings, now, dry_run)))
    removed = {o.rule.key: o.count for o in outcomes if o.count}
    if removed and not dry_run:
        audit_record(
            actor=None,
            action=AuditLogEntry.Action.DELETE,
            instance=settings,
            site=None,
            before={"retention": removed, "at": now.isoformat()},
        )
    return outcomes
