"""The append-only audit log: one helper to snapshot a model and one to record a change.

Entries are never changed or deleted, with exactly two documented exceptions, both here and
both written to the log themselves: :func:`audit_entries_pseudonymise` (a person's erasure:
what identifies her in the entries about her is replaced by a pseudonym) and
:func:`audit_entries_expire` (the retention period of the data-protection settings).
"""

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from lms.models import AuditLogEntry, DataProtectionSettings, Site

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


# --- The two sanctioned changes ---------------------------------------------------------------

#: Snapshot keys whose values are about the person herself: replaced whole when she is erased.
PERSONAL_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "full_name",
        "birth_year",
        "note",
        "current_value",
        "requested_value",
        "details",
        "response",
    }
)


def _rewrite(value: object, scrub: Callable[[str], str], *, personal: bool, erased: str) -> object:
    if isinstance(value, dict):
        return {
            key: (
                None
                if personal and key in PERSONAL_KEYS and inner in (None, "")
                else erased
                if personal and key in PERSONAL_KEYS
                else _rewrite(inner, scrub, personal=personal, erased=erased)
            )
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(inner, scrub, personal=personal, erased=erased) for inner in value]
    if isinstance(value, str):
        return scrub(value)
    return value


def _text_match(strings: Iterable[str]) -> Q:
    """Entries whose description or snapshots contain any of `strings` (as stored: JSON text
    escapes non-ASCII letters on some databases, so both spellings are looked for)."""
    condition = Q(pk__in=[])
    for value in strings:
        for spelling in {value, json.dumps(value)[1:-1]}:
            condition |= (
                Q(object_repr__icontains=spelling)
                | Q(before_text__icontains=spelling)
                | Q(after_text__icontains=spelling)
            )
    return condition


def entries_about(about: dict[str, set[str]]) -> Q:
    """The entries about these objects (model label → ids), in the audit log or in Wagtail's
    admin history: both name an object by its content type and id."""
    condition = Q(pk__in=[])
    for label, ids in about.items():
        if ids:
            content_type = ContentType.objects.get_for_model(
                apps.get_model(label), for_concrete_model=True
            )
            condition |= Q(content_type=content_type, object_id__in=list(ids))
    return condition


def audit_entries_pseudonymise(
    *,
    actor: AbstractBaseUser | None,
    about: dict[str, set[str]],
    person: AbstractBaseUser,
    scrub: Callable[[str], str],
    mentions: Iterable[str],
    erased: str,
    reason: models.Model,
    site: Site | int | None,
) -> int:
    """Erasure: rewrite the entries about a person, so that they keep what happened and when
    but no longer say who she was.

    The entries about her objects (`about`: model label → ids, as every part of the platform
    reported them) and the entries she made lose every identifying value: `scrub` replaces her
    names, contact data, user name and codes wherever they occur, and snapshot fields about her
    (names, contact data, notes, request texts) are replaced by `erased` whole. Any other
    entry that `mentions` her (her full name, e-mail or phone typed elsewhere) has those
    strings scrubbed. This is one of the two changes ever made to audit entries; it writes an
    entry of its own about `reason` (the erasure request), with the number of entries changed.
    Returns that number."""
    about_her = Q(actor=person) | entries_about(about)
    entries = AuditLogEntry.objects.annotate(
        before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
    )
    personal_ids = set(entries.filter(about_her).values_list("pk", flat=True))
    mentioning = set(entries.filter(_text_match(mentions)).values_list("pk", flat=True))
    changed = 0
    for entry in AuditLogEntry.objects.filter(pk__in=personal_ids | mentioning).iterator():
        personal = entry.pk in personal_ids
        values = {
            "object_repr": scrub(entry.object_repr)[:300],
            "before": _rewrite(entry.before, scrub, personal=personal, erased=erased),
            "after": _rewrite(entry.after, scrub, personal=personal, erased=erased),
        }
        if any(getattr(entry, name) != value for name, value in values.items()):
            # The sanctioned rewrite goes round the append-only queryset on purpose.
            models.QuerySet.update(AuditLogEntry.objects.filter(pk=entry.pk), **values)
            changed += 1
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=reason,
        site=site,
        after={"audit_entries_pseudonymised": changed},
    )
    return changed


def audit_entries_expire(*, before: datetime, actor: AbstractBaseUser | None = None) -> int:
    """Retention: delete the entries older than `before`, and say so in an entry of its own
    (the other of the two changes ever made to the log). Idempotent: a second run finds none."""
    old = AuditLogEntry.objects.filter(created_at__lt=before)
    count = old.count()
    if not count:
        return 0
    models.QuerySet.delete(old)  # round the append-only queryset, on purpose
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.DELETE,
        instance=DataProtectionSettings.load(),
        site=None,
        before={"audit_entries_before": before.isoformat(), "count": count},
    )
    return count
