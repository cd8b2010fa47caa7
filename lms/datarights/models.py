"""Rows of the data-rights workflow: a person's requests (ARCO) and the downloads of her data.

Imported by :mod:`lms.models`, so that they belong to the ``lms`` app."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataRightsRequest(models.Model):
    """A request under Ley 29733 (rectification, cancellation or opposition), with its number,
    due date and every step. Handled by the coordinators of the person's site; each step is
    audit-logged by :mod:`lms.datarights.requests`."""

    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", _("Rectification: correct my data")
        CANCELLATION = "cancellation", _("Cancellation: erase my data")
        OPPOSITION = "opposition", _("Opposition: stop using my answers for research")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    class Field(models.TextChoices):
        """What a rectification is about. Names, contact data, birth year and sex are
        corrected by the service; anything else is described and corrected by hand."""

        FIRST_NAME = "first_name", _("Given names")
        LAST_NAME = "last_name", _("Surnames")
        EMAIL = "email", _("E-mail address")
        PHONE = "phone", _("Phone number")
        BIRTH_YEAR = "birth_year", _("Birth year")
        SEX = "sex", _("Sex")
        OTHER = "other", _("Something else")

    class RefusalGround(models.TextChoices):
        """Grounds the law admits for refusing, stated to the person with the refusal."""

        IDENTITY = "identity", _("The identity of the person asking could not be confirmed.")
        INCOMPLETE = (
            "incomplete",
            _(
                "The request does not say which data or what should change, and was not completed "
                "when asked."
            ),
        )
        LEGAL_DUTY = (
            "legal_duty",
            _(
                "The data must be kept to comply with a legal obligation or a contract with the "
                "person (Ley 29733)."
            ),
        )
        PUBLIC_INTEREST = (
            "public_interest",
            _(
                "The data are needed for the recognition, exercise or defence of rights before an "
                "authority."
            ),
        )
        NOT_HELD = "not_held", _("The platform holds no such data about the person.")
        ALREADY_CORRECT = "already_correct", _("The data are already correct.")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)

    number = models.CharField(_("number"), max_length=20, unique=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_rights_requests",
        verbose_name=_("person"),
    )
    # Her site when she filed it: whose coordinators handle it.
    site = models.ForeignKey(
        "lms.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    field = models.CharField(_("data to correct"), max_length=12, choices=Field.choices, blank=True)
    current_value = models.TextField(_("what is wrong"), blank=True)
    requested_value = models.TextField(_("what it should say"), blank=True)
    details = models.TextField(_("details"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    started_at = models.DateTimeField(_("handling started"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    refusal_ground = models.CharField(
        _("legal ground of the refusal"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    response = models.TextField(_("answer to the person"), blank=True)

    class Meta:
        verbose_name = _("data-rights request")
        verbose_name_plural = _("data-rights requests")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_ground=""),
                name="refusal_states_its_ground",
            )
        ]

    def __str__(self) -> str:
        return self.number or str(self._meta.verbose_name)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_on


class PersonalDataExport(models.Model):
    """A download of everything the platform holds about a person, as JSON and PDF, built by a
    Celery task and kept until ``expires_at``. The files live under an unguessable folder and
    are only served to their owner by :mod:`lms.datarights.views`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_data_exports",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    json_file = models.FileField(_("JSON"), upload_to="datos-personales/", blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="datos-personales/", blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    language = models.CharField(_("language"), max_length=10, default="es")

    class Meta:
        verbose_name = _("personal data download")
        verbose_name_plural = _("personal data downloads")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.requested_at:%Y-%m-%d %H:%M}"

    def is_available(self, now=None) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and (now or timezone.now()) < self.expires_at
        )
