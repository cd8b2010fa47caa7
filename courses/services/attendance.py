"""Taking attendance: a whole sheet is validated, then saved in one transaction."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import AttendanceRecord, Enrollment, SessionDelivery
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


def _snapshot(record: AttendanceRecord) -> dict:
    return model_snapshot(record, exclude=("recorded_at", "client_uuid"))


@transaction.atomic
def attendance_sheet_save(
    *,
    actor: AbstractBaseUser,
    delivery: SessionDelivery,
    marks: dict[int, str],
    notes: dict[int, str] | None = None,
) -> SheetResult:
    """Mark `delivery` held and record each enrollment's status from one sheet.

    `marks` maps enrollment ids of the cohort to P/L/E/A. The sheet is validated whole: an
    unknown enrollment, a withdrawn one or an invalid status rejects it and nothing is saved.
    Posting the same sheet again changes nothing; a different status later is an audited edit.
    The number of queries does not depend on the size of the roster."""
    notes = notes or {}
    delivery = (
        SessionDelivery.objects.select_for_update()
        .select_related("cohort__cem")
        .get(pk=delivery.pk)
    )
    if delivery.status == SessionDelivery.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled; it takes no attendance."))
    if timezone.localdate(delivery.scheduled_at) > timezone.localdate():
        raise ValidationError(
            _("This session is scheduled for a later date; take attendance on the day or after.")
        )
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
        raise ValidationError(errors)

    site_id = delivery.cohort.cem.site_id
    existing = {r.enrollment_id: r for r in delivery.attendance.filter(enrollment_id__in=marks)}
    for record in existing.values():  # str(record) in the audit log needs no further queries
        record.delivery, record.enrollment = delivery, active[record.enrollment_id]
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
        to_update.append(record)
        entries.append(
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.UPDATE,
                instance=record,
                site=site_id,
                before=before,
                after=_snapshot(record),
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
        )
        for record in created
    )
    AttendanceRecord.objects.bulk_update(
        to_update, ["status", "note", "recorded_by", "recorded_at", "reported_by_activist"]
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
