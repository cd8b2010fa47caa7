"""Rows behind portable credentials: public keys, status lists, each certificate's signed copies.

Private keys are never stored here (see :mod:`certificates.credentials.keys`)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="success")
class CredentialIssuerSettings(BaseGenericSetting):
    """The issuer profile printed into every new Open Badges credential."""

    name = models.CharField(
        _("issuer name"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the issuer named on the certificate."),
    )
    url = models.URLField(
        _("issuer web address"), blank=True, help_text=_("Empty: this platform's address.")
    )
    email = models.EmailField(_("issuer e-mail"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("issuer logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("email"), FieldPanel("image")]

    class Meta:
        verbose_name = _("credential issuer")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class SigningKey(models.Model):
    """The public half of one of the organisation's Ed25519 keys. Every key ever used stays
    here and stays published, so credentials signed before a rotation still verify."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_key = models.CharField(_("public key (base64url)"), max_length=64)
    active = models.BooleanField(_("signs new credentials"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class StatusList(models.Model):
    """A Bitstring Status List of 131,072 revocation bits. Indexes are handed out once, in an
    order scrambled by ``(stride * n + offset) mod size`` (a bijection: ``stride`` is odd and
    ``size`` a power of two), so neighbouring bits do not reveal who was certified together."""

    SIZE = 131_072

    purpose = models.CharField(max_length=20, default="revocation")
    size = models.PositiveIntegerField(default=SIZE)
    allocated = models.PositiveIntegerField(default=0)
    stride = models.PositiveIntegerField()
    offset = models.PositiveIntegerField()
    # Bumped whenever a bit of the list changes: part of the cache key of its signed copy.
    revision = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [
            models.CheckConstraint(condition=Q(allocated__lte=models.F("size")), name="list_fits")
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.allocated}/{self.size})"

    def index_of(self, n: int) -> int:
        return (self.stride * n + self.offset) % self.size


class PortableCredential(models.Model):
    """A certificate as a signed Open Badges 3.0 credential, frozen like the certificate: the
    JSON (with its Data Integrity proof) and the VC-JWT are stored exactly as served."""

    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="portable"
    )
    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_salt = models.CharField(max_length=64)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    status_index = models.PositiveIntegerField()
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    signed_json = models.TextField()
    signed_jwt = models.TextField()
    name_withheld_at = models.DateTimeField(_("name withheld since"), null=True, blank=True)

    class Meta:
        verbose_name = _("portable credential")
        verbose_name_plural = _("portable credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="status_index_used_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} @ {self.status_list_id}#{self.status_index}"

    @property
    def name_withheld(self) -> bool:
        return self.name_withheld_at is not None
