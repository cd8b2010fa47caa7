"""Taking attendance: a whole sheet is validated, then saved in one transaction."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import AttendanceRecord, Cohort, Enrollment, SessionDelivery
from lms.audit import audit_entry, model_snapshot
from lms.models import AuditLogEntry

VALID_STATUSES = frozenset(AttendanceRecord.Status.values)
NOTE_MAX_LENGTH = AttendanceRecord._meta.get_field("note").max_length


@dataclass(frozen=True)
class SheetResult:
    created: int
    changed: int
    unchanged: int

    @property
    def saved_anything(self) -> bool:
        return bool(self.created or self.changed)


@dataclass(frozen=True)
class MarkConflict:
    """A mark that someone else recorded after the sheet's author last saw it, and differs."""

    record: AttendanceRecord  # as stored, with its enrollment and recorded_by loaded
    status: str  # what the sheet says
    note: str


class SheetConflict(Exception):
    """The sheet would overwrite marks it never saw: nothing was saved; someone must choose."""

    def __init__(self, conflicts: list[MarkConflict]):
        super().__init__(f"{len(conflicts)} marks changed since the sheet was read")
        self.conflicts = conflicts


def _snapshot(record: AttendanceRecord) -> dict:
    return model_snapshot(record, exclude=("recorded_at", "client_uuid"))


def sheet_refusal(delivery: SessionDelivery, *, today=None) -> ValidationError | None:
    """Why this session takes no attendance now (cancelled, later date, closed group), or None.

    The error's `code` names the reason for clients that act on it."""
    if delivery.status == SessionDelivery.Status.CANCELLED:
        return ValidationError(
            _("This session was cancelled; it takes no attendance."), code="cancelled"
        )
    if delivery.cohort.status == Cohort.Status.CLOSED:
        return ValidationError(
            _("This group is closed; its attendance can no longer change."), code="cohort_closed"
        )
    if timezone.localdate(delivery.scheduled_at) > (today or timezone.localdate()):
        return ValidationError(
            _("This session is scheduled for a later date; take attendance on the day or after."),
            code="future_session",
        )
    return None


def _conflicts(
    existing: dict[int, AttendanceRecord],
    *,
    actor: AbstractBaseUser,
    marks: dict[int, str],
    notes: dict[int, str],
    mark_uuids: dict[int, uuid.UUID],
    seen_at: datetime,
) -> list[MarkConflict]:
    """Marks changed after `seen_at` by another person (not an activist's own announcement)
    that the sheet would replace with something else."""
    found = []
    for enrollment_id, record in existing.items():
        status, note = marks[enrollment_id], notes.get(enrollment_id, "").strip()
        if (
            record.recorded_at > seen_at
            and record.recorded_by_id != actor.pk
            and not record.reported_by_activist
            and record.client_uuid != mark_uuids.get(enrollment_id)
            and (record.status, record.note) != (status, note)
        ):
            found.append(MarkConflict(record=record, status=status, note=note))
    return found


@transaction.atomic
def attendance_sheet_save(
    *,
    actor: AbstractBaseUser,
    delivery: SessionDelivery,
    marks: dict[int, str],
    notes: dict[int, str] | None = None,
    mark_uuids: dict[int, uuid.UUID] | None = None,
    seen_at: datetime | None = None,
    origin: str = "",
    device_time: datetime | None = None,
) -> SheetResult:
    """Mark `delivery` held and record each enrollment's status from one sheet.

    `marks` maps enrollment ids of the cohort to P/L/E/A. The sheet is validated whole: an
    unknown enrollment, a withdrawn one or an invalid status rejects it and nothing is saved.
    Posting the same sheet again changes nothing; a different status later is an audited edit.

    A sheet captured earlier (on a device, on paper) says so with `origin` and `device_time`,
    written to the audit log, and may give each mark the client UUID the record keeps. With
    `seen_at`, the time its author's copy of the marks was read, a mark that someone else
    changed since then raises SheetConflict instead of being overwritten.
    The number of queries does not depend on the size of the roster."""
    notes = notes or {}
    mark_uuids = mark_uuids or {}
    delivery = (
        SessionDelivery.objects.select_for_update(of=("self",))
        .select_related("cohort__cem", "session")
        .get(pk=delivery.pk)
    )
    refusal = sheet_refusal(delivery)
    if refusal is not None:
        raise refusal
    active = {
        e.pk: e
        for e in Enrollment.objects.filter(cohort_id=delivery.cohort_id)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("activist", "cohort")
    }
    errors = []
    for enrollment_id, status in marks.items():
        if enrollment_id not in active:
            errors.append(
                _("Enrollment %(id)s is not an active member of this cohort.")
                % {"id": enrollment_id}
            )
        elif status not in VALID_STATUSES:
            errors.append(
                _("“%(status)s” is not an attendance status (use P, L, E or A).")
                % {"status": status}
            )
    for enrollment_id, note in notes.items():
        if len(note) > NOTE_MAX_LENGTH:
            errors.append(
                _("The note for enrollment %(id)s is longer than %(max)s characters.")
                % {"id": enrollment_id, "max": NOTE_MAX_LENGTH}
            )
    if errors:
        raise ValidationError(errors, code="invalid")

    site_id = delivery.cohort.cem.site_id
    existing = {
        r.enrollment_id: r
        for r in delivery.attendance.filter(enrollment_id__in=marks).select_related("recorded_by")
    }
    for record in existing.values():  # str(record) in the audit log needs no further queries
        record.delivery, record.enrollment = delivery, active[record.enrollment_id]
    if seen_at is not None:
        conflicts = _conflicts(
            existing,
            actor=actor,
            marks=marks,
            notes=notes,
            mark_uuids=mark_uuids,
            seen_at=seen_at,
        )
        if conflicts:
            raise SheetConflict(conflicts)
    provenance = {"origin": origin, "device_time": device_time}
    to_create, to_update, entries = [], [], []
    unchanged = 0
    for enrollment_id, status in marks.items():
        note = notes.get(enrollment_id, "").strip()
        record = existing.get(enrollment_id)
        if record is None:
            record = AttendanceRecord(
                delivery=delivery,
                enrollment=active[enrollment_id],
                status=status,
                note=note,
                recorded_by=actor,
                client_uuid=mark_uuids.get(enrollment_id) or uuid.uuid4(),
            )
            to_create.append(record)
            continue
        if record.status == status and record.note == note:
            unchanged += 1
            continue
        before = _snapshot(record)
        record.status, record.note, record.recorded_by = status, note, actor
        record.reported_by_activist = False
        record.recorded_at = timezone.now()
        record.client_uuid = mark_uuids.get(enrollment_id) or record.client_uuid
        to_update.append(record)
        entries.append(
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.UPDATE,
                instance=record,
                site=site_id,
                before=before,
                after=_snapshot(record),
                **provenance,
            )
        )
    created = AttendanceRecord.objects.bulk_create(to_create)
    if not all(record.pk for record in created):  # backends that return no ids
        created = list(
            delivery.attendance.filter(enrollment_id__in=[r.enrollment_id for r in to_create])
        )
        for record in created:
            record.delivery, record.enrollment = delivery, active[record.enrollment_id]
    entries.extend(
        audit_entry(
            actor=actor,
            action=AuditLogEntry.Action.CREATE,
            instance=record,
            site=site_id,
            after=_snapshot(record),
            **provenance,
        )
        for record in created
    )
    AttendanceRecord.objects.bulk_update(
        to_update,
        ["status", "note", "recorded_by", "recorded_at", "reported_by_activist", "client_uuid"],
    )
    if delivery.status != SessionDelivery.Status.HELD:
        before = model_snapshot(delivery)
        delivery.status = SessionDelivery.Status.HELD
        delivery.save(update_fields=["status"])
        entries.append(
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.UPDATE,
                instance=delivery,
                site=site_id,
                before=before,
                after=model_snapshot(delivery),
                **provenance,
            )
        )
    AuditLogEntry.objects.bulk_create(entries)
    return SheetResult(created=len(to_create), changed=len(to_update), unchanged=unchanged)


@transaction.atomic
def absence_announce(
    *, activist: AbstractBaseUser, delivery: SessionDelivery, note: str = ""
) -> AttendanceRecord:
    """An activist says ahead of time they will miss a session: recorded as Excused.

    A trainer's later sheet overrides it; an announcement never overrides a trainer's mark."""
    enrollment = (
        Enrollment.objects.filter(cohort_id=delivery.cohort_id, activist=activist)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .first()
    )
    if enrollment is None:
        raise ValidationError(_("You are not enrolled in this cohort."))
    if (
        delivery.status != SessionDelivery.Status.SCHEDULED
        or delivery.scheduled_at <= timezone.now()
    ):
        raise ValidationError(_("Absences can only be announced for upcoming sessions."))
    record = AttendanceRecord.objects.filter(delivery=delivery, enrollment=enrollment).first()
    if record is not None:
        return record
    record = AttendanceRecord(
        delivery=delivery,
        enrollment=enrollment,
        status=AttendanceRecord.Status.EXCUSED,
        note=note.strip()[:NOTE_MAX_LENGTH],
        recorded_by=activist,
        reported_by_activist=True,
    )
    record.full_clean()
    record.save()
    audit_entry(
        actor=activist,
        action=AuditLogEntry.Action.CREATE,
        instance=record,
        site=delivery.cohort.cem.site_id,
        after=_snapshot(record),
    ).save()
    return record
