"""The audit log is never changed, except by its two sanctioned, self-recording operations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from lms.audit import audit_entries_expire, audit_entries_pseudonymise, audit_record
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import person


def test_entries_cannot_be_updated_or_deleted_otherwise(db):
    entry = audit_record(
        actor=None, action="create", instance=person(Role.ACTIVIST), site=None, after={"a": 1}
    )
    with pytest.raises(PermissionDenied):
        AuditLogEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    with pytest.raises(PermissionDenied):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionDenied):
        entry.save()


def test_pseudonymise_rewrites_only_entries_about_her_and_logs_itself(db):
    her, other = person(Role.ACTIVIST), person(Role.ACTIVIST)
    her.first_name, her.last_name = "Rosa Elena", "Quispe Huamán"
    about_her = audit_record(
        actor=her,
        action="update",
        instance=her.profile,
        site=None,
        before={"phone": "912 345 678", "note": "llamó"},
        after={"phone": "", "note": "Rosa Elena Quispe Huamán avisó"},
    )
    mentioning = audit_record(
        actor=other,
        action="create",
        instance=other.profile,
        site=None,
        after={"details": "Vino con Rosa Elena Quispe Huamán"},
    )
    unrelated = audit_record(
        actor=other, action="create", instance=other.profile, site=None, after={"note": "nada"}
    )
    changed = audit_entries_pseudonymise(
        actor=None,
        about={"lms.ParticipantProfile": {str(her.profile.pk)}},
        person=her,
        scrub=lambda text: text.replace("Rosa Elena Quispe Huamán", "borrada-1"),
        mentions=["Rosa Elena Quispe Huamán"],
        erased="[borrado]",
        reason=her,
        site=None,
    )
    assert changed == 2
    about_her.refresh_from_db()
    assert about_her.before == {"phone": "[borrado]", "note": "[borrado]"}
    assert about_her.after == {"phone": None, "note": "[borrado]"}
    mentioning.refresh_from_db()
    assert mentioning.after == {"details": "Vino con borrada-1"}
    unrelated.refresh_from_db()
    assert unrelated.after == {"note": "nada"}
    assert AuditLogEntry.objects.filter(after={"audit_entries_pseudonymised": 2}).exists()


def test_expire_deletes_only_old_entries_and_logs_itself(db):
    old = audit_record(actor=None, action="create", instance=person(Role.ACTIVIST), site=None)
    # Aged by hand, round the append-only queryset as only the sanctioned changes do.
    models.QuerySet.update(
        AuditLogEntry.objects.filter(pk=old.pk), created_at=timezone.now() - dt.timedelta(days=900)
    )
    kept = AuditLogEntry.objects.exclude(pk=old.pk).count()
    assert audit_entries_expire(before=timezone.now() - dt.timedelta(days=365)) == 1
    assert not AuditLogEntry.objects.filter(pk=old.pk).exists()
    assert AuditLogEntry.objects.count() == kept + 1
    assert audit_entries_expire(before=timezone.now() - dt.timedelta(days=365)) == 0
