"""Receiving a sheet from a device's outbox: exactly once, never over marks it did not see.

The sheet goes through attendance_sheet_save, like a sheet saved on screen; this module adds
what a sheet that travelled needs: recognising a re-send by its UUID, refusing a device clock
that runs ahead, and keeping a receipt whose audit entry has the device's time."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import SessionDelivery, SheetReceipt
from courses.offline.protocol import IncomingSheet
from courses.services.attendance import SheetResult, attendance_sheet_save
from lms.audit import audit_record, model_snapshot
from lms.models import AuditLogEntry

# Phones set their clocks from the network; a few minutes of drift is normal, hours are not.
DEVICE_CLOCK_TOLERANCE = timedelta(minutes=10)


class SheetUuidReused(Exception):
    """This UUID was received before with different content: one of the two is wrong."""


@dataclass(frozen=True)
class Received:
    receipt: SheetReceipt
    replayed: bool  # True: the same sheet had already arrived and nothing changed now

    @property
    def result(self) -> SheetResult:
        r = self.receipt
        return SheetResult(created=r.created, changed=r.changed, unchanged=r.unchanged)


def _clock_refusal(sheet: IncomingSheet, delivery: SessionDelivery, now: datetime):
    if sheet.device_time > now + DEVICE_CLOCK_TOLERANCE:
        return ValidationError(
            _(
                "The device's clock was ahead of the real time when this sheet was saved. "
                "Correct the phone's date and time, then take the attendance again."
            ),
            code="device_clock",
        )
    if timezone.localdate(sheet.device_time) < timezone.localdate(delivery.scheduled_at):
        return ValidationError(
            _("This sheet was saved on the device before the day of the session."),
            code="before_session",
        )
    return None


@transaction.atomic
def offline_sheet_receive(
    *,
    actor: AbstractBaseUser,
    delivery: SessionDelivery,
    sheet: IncomingSheet,
    now: datetime | None = None,
) -> Received:
    """Save a sheet sent by `actor`'s device for `delivery`, or recognise it as already saved.

    Raises SheetUuidReused, SheetConflict (marks changed by someone else since `seen_at`; the
    conflicts carry both versions) or ValidationError with a `code`: device_clock,
    before_session, and those of attendance_sheet_save (cancelled, cohort_closed,
    future_session, invalid). Whatever is raised, nothing is saved."""
    now = now or timezone.now()
    # Serialises sheets for one session, so two copies of a sheet cannot both be new.
    list(SessionDelivery.objects.select_for_update().filter(pk=delivery.pk).values_list("pk"))
    digest = sheet.digest(delivery_id=delivery.pk)
    previous = SheetReceipt.objects.filter(uuid=sheet.uuid).first()
    if previous is not None:
        if previous.content_digest == digest and previous.recorded_by_id == actor.pk:
            return Received(receipt=previous, replayed=True)
        raise SheetUuidReused(str(sheet.uuid))
    refusal = _clock_refusal(sheet, delivery, now)
    if refusal is not None:
        raise refusal
    result = attendance_sheet_save(
        actor=actor,
        delivery=delivery,
        marks=sheet.statuses(),
        notes=sheet.notes(),
        mark_uuids=sheet.mark_uuids(),
        seen_at=sheet.seen_at,
        origin=sheet.origin,
        device_time=sheet.device_time,
    )
    receipt = SheetReceipt(
        uuid=sheet.uuid,
        delivery=delivery,
        recorded_by=actor,
        origin=sheet.origin,
        content_digest=digest,
        device_time=sheet.device_time,
        received_at=now,
        created=result.created,
        changed=result.changed,
        unchanged=result.unchanged,
    )
    # The UUID was looked up under the lock; the foreign keys are the objects just used.
    receipt.full_clean(exclude=["delivery", "recorded_by"], validate_unique=False)
    receipt.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=receipt,
        site=delivery.cohort.cem.site_id,
        after=model_snapshot(receipt),
        origin=sheet.origin,
        device_time=sheet.device_time,
    )
    return Received(receipt=receipt, replayed=False)
