"""Certificates frozen at issue time, and the log of public verification lookups."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    """Everything printed on the certificate is copied here when it is issued, so the PDF can be
    rendered again, identically, whatever later happens to the course or the person."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        # Re-issued with corrected data (a rectification): the row stays for the audit trail
        # and points at the certificate that replaces it.
        SUPERSEDED = "superseded", _("Superseded")

    #: Statuses whose credentials are no longer to be trusted: their status-list bit is set.
    NOT_VALID = (Status.REVOKED, Status.SUPERSEDED)

    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="valid")
    full_name = models.CharField(_("full name"), max_length=300)
    participant_code = models.CharField(_("participant code"), max_length=12)
    course_title = models.CharField(_("course"), max_length=255)
    course_code = models.CharField(_("course code"), max_length=20)
    curriculum_version = models.CharField(_("curriculum version"), max_length=20)
    credit_hours = models.PositiveSmallIntegerField(_("credit hours"))
    accrediting_institution = models.CharField(_("accrediting institution"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    site_name = models.CharField(_("site"), max_length=100)
    cem_name = models.CharField(_("CEM"), max_length=150)
    cohort_start = models.DateField(_("cohort start"))
    cohort_end = models.DateField(_("cohort end"))
    issued_on = models.DateField(_("issued on"))
    signatories = models.JSONField(_("signatories"), default=list)
    language = models.CharField(_("language"), max_length=2, default="es")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pdf = models.FileField(_("PDF"), upload_to="certificados/", blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # The status the stored PDF shows ("revoked" stamped or not): a PDF whose status differs
    # from the row's is rendered again.
    pdf_status = models.CharField(_("status shown by the PDF"), max_length=10, blank=True)
    notified_at = models.DateTimeField(_("holder told at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "full_name"]
        constraints = [
            # Double clicks and concurrent requests cannot make two valid certificates.
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_enrollment",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="revoked_certificate_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_at__isnull=False),
                name="superseded_certificate_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.full_name}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED


class VerificationLookup(models.Model):
    """A visit to the public verification page. The client address is kept only as a keyed
    hash, enough to rate-limit and to spot abuse."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    code_tried = models.CharField(max_length=40)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, null=True, related_name="lookups"
    )
    client_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("verification lookup")
        verbose_name_plural = _("verification lookups")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code_tried}"


# Portable credentials live in their own package; importing them here registers their models.
from certificates.credentials.models import (  # noqa: E402, F401
    CredentialIssuerSettings,
    PortableCredential,
    SigningKey,
    StatusList,
)
