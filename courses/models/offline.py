"""Attendance sheets received from a trainer's device, kept so that a re-sent sheet is known."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models import AuditLogEntry


class SheetReceipt(models.Model):
    """One sheet from a device's outbox, saved once: its client UUID and a digest of its content.

    The same UUID with the same digest is a re-send and changes nothing; the same UUID with a
    different digest is refused. The marks themselves are AttendanceRecords, audited as usual."""

    uuid = models.UUIDField(_("sheet UUID"), unique=True)
    delivery = models.ForeignKey(
        "courses.SessionDelivery",
        on_delete=models.CASCADE,
        related_name="receipts",
        verbose_name=_("session delivery"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    origin = models.CharField(_("origin"), max_length=10, choices=AuditLogEntry.Origin.choices)
    content_digest = models.CharField(_("content digest"), max_length=64)
    device_time = models.DateTimeField(_("time on the device"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    created = models.PositiveIntegerField(_("new marks"), default=0)
    changed = models.PositiveIntegerField(_("changed marks"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged marks"), default=0)

    class Meta:
        verbose_name = _("received attendance sheet")
        verbose_name_plural = _("received attendance sheets")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.delivery} · {str(self.uuid)[:8]}"
