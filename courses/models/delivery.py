"""Delivery of the curriculum: cohorts at a CEM, enrollments, session deliveries, attendance."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class Cohort(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("course"),
    )
    cem = models.ForeignKey(
        "lms.CEM", on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("CEM")
    )
    name = models.CharField(_("name"), max_length=150)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="trained_cohorts",
        blank=True,
        verbose_name=_("trainers"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=40, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    @property
    def site(self):
        return self.cem.site


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Signed written form")
        ONLINE = "online", _("Online, authenticated")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("cohort")
    )
    activist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("activist"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_given_at = models.DateTimeField(_("consent given at"))
    consent_method = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentMethod.choices
    )
    # The short number printed next to the name on rosters and sign-in sheets. It is not the
    # participant code, which pseudonymises research data and never leaves the server.
    roster_number = models.PositiveSmallIntegerField(_("roster number"), null=True, editable=False)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["activist__last_name", "activist__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "activist"], name="unique_enrollment_per_cohort"
            ),
            models.UniqueConstraint(
                fields=["cohort", "roster_number"], name="unique_roster_number_per_cohort"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activist.get_full_name() or self.activist.username} · {self.cohort}"

    def save(self, *args, **kwargs) -> None:
        """A new enrollment takes the cohort's next roster number and keeps it, so a printed
        sheet stays right when people join or leave. Callers that may race lock the cohort
        first (enrollment_create does)."""
        if self.roster_number is None and self.cohort_id:
            last = Enrollment.objects.filter(cohort_id=self.cohort_id).aggregate(
                last=Max("roster_number")
            )["last"]
            self.roster_number = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def roster_code(self) -> str:
        return f"{self.roster_number:02d}" if self.roster_number else ""


class SessionDelivery(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("cohort")
    )
    session = models.ForeignKey(
        "courses.SessionPage",
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("session"),
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="facilitated_deliveries",
        blank=True,
        verbose_name=_("facilitators"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("session delivery")
        verbose_name_plural = _("session deliveries")
        ordering = ["scheduled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "session"], name="unique_delivery_per_cohort_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.session.title}"


class AttendanceRecord(models.Model):
    class Status(models.TextChoices):
        PRESENT = "P", _("Present")
        LATE = "L", _("Late")
        EXCUSED = "E", _("Excused")
        ABSENT = "A", _("Absent")

    delivery = models.ForeignKey(
        SessionDelivery,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("session delivery"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("enrollment"),
    )
    status = models.CharField(_("status"), max_length=1, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    # A re-sent sheet (offline capture, double tap) carries the same id and is recognised.
    client_uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    reported_by_activist = models.BooleanField(
        _("absence announced by the activist"), default=False
    )

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "enrollment"], name="unique_attendance_per_delivery"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.delivery.session.title}: {self.get_status_display()}"


@register_setting(icon="tasks")
class AttendanceSettings(BaseGenericSetting):
    """Points of each attendance status and when absences raise a flag. Which statuses count
    toward completion is a rule of each course."""

    present_points = models.PositiveSmallIntegerField(_("points for present"), default=2)
    late_points = models.PositiveSmallIntegerField(_("points for late"), default=1)
    excused_points = models.PositiveSmallIntegerField(_("points for excused"), default=1)
    absent_points = models.PositiveSmallIntegerField(_("points for absent"), default=0)
    absence_alert_streak = models.PositiveSmallIntegerField(
        _("consecutive absences that raise a flag"), default=2, validators=[MinValueValidator(1)]
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("present_points"),
                FieldPanel("late_points"),
                FieldPanel("excused_points"),
                FieldPanel("absent_points"),
            ],
            heading=_("Points"),
        ),
        FieldPanel("absence_alert_streak"),
    ]

    class Meta:
        verbose_name = _("attendance rules")

    def points(self) -> dict[str, int]:
        S = AttendanceRecord.Status
        return {
            S.PRESENT: self.present_points,
            S.LATE: self.late_points,
            S.EXCUSED: self.excused_points,
            S.ABSENT: self.absent_points,
        }
