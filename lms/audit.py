"""The append-only audit log: one helper to snapshot a model and one to record a change."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from lms.models import AuditLogEntry, Site

Snapshot = dict[str, object]


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def model_snapshot(
    instance: models.Model, *, exclude: Iterable[str] = (), many_to_many: Iterable[str] = ()
) -> Snapshot:
    """Concrete field values of an instance, JSON-ready (foreign keys as ids), plus the sorted
    ids of the `many_to_many` relations named (who trains a cohort is part of its history)."""
    skipped = set(exclude)
    snapshot = {
        field.attname: _json_value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in skipped
    }
    for name in many_to_many:
        snapshot[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
    return snapshot


def audit_entry(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    instance: models.Model,
    site: Site | int | None,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    origin: str = "",
    device_time: datetime | None = None,
) -> AuditLogEntry:
    """An unsaved entry, so callers can write many in one bulk_create.

    `origin` and `device_time` say that the change was captured earlier, on a device or on
    paper, and when the device recorded it; the entry's own time is when the server got it."""
    return AuditLogEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        site_id=site.pk if isinstance(site, Site) else site,
        before=before,
        after=after,
        origin=origin,
        device_time=device_time,
    )


def audit_record(**kwargs) -> AuditLogEntry:
    """Write one entry now (same arguments as audit_entry)."""
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


def audit_changes(before: Snapshot | None, after: Snapshot | None) -> dict[str, tuple]:
    """Fields whose value differs between two snapshots, for display."""
    before = before or {}
    after = after or {}
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit_save_changes(
    *, actor: AbstractBaseUser | None, instance: models.Model, before: Snapshot, site: int | None
) -> bool:
    """Save `instance` and record the update, only if it differs from `before`."""
    after = model_snapshot(instance)
    if after == before:
        return False
    instance.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=instance,
        site=site,
        before=before,
        after=after,
    )
    return True
