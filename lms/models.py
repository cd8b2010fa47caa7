"""Cross-cutting models: sites and CEMs, participant profiles, the audit log."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from lms.datarights.deadlines import parse_holidays


class Site(models.Model):
    """A programme site (a city), not to be confused with Wagtail's Site."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.CharField(_("region"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CEM(models.Model):
    """A Centro Emergencia Mujer, belonging to one site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="cems")
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("CEM")
        verbose_name_plural = _("CEMs")
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="unique_cem_per_site")]

    def __str__(self) -> str:
        return self.name


def _new_participant_code() -> str:
    from lms.codes import participant_code_generate

    return participant_code_generate()


class ParticipantProfile(models.Model):
    """Who a person is for the programme. The participant code pseudonymises research data."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other / prefers not to say")

    class Generation(models.TextChoices):
        YOUNG = "20-29", _("20-29 years")
        ADULT = "35-50", _("35-50 years")
        OTHER = "other", _("Other ages")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    participant_code = models.CharField(
        _("participant code"),
        max_length=12,
        unique=True,
        default=_new_participant_code,
        editable=False,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1920), MaxValueValidator(2020)],
    )
    generation = models.CharField(
        _("generation"), max_length=5, choices=Generation.choices, blank=True, editable=False
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("site"),
        help_text=_("For a coordinator, leave empty for national scope."),
    )
    cem = models.ForeignKey(
        CEM,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("CEM"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")

    def __str__(self) -> str:
        return self.participant_code

    def save(self, *args, **kwargs) -> None:
        if self.cem_id and not self.site_id:
            self.site_id = self.cem.site_id
        self.generation = generation_band(self.birth_year)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.cem_id and self.site_id and self.cem.site_id != self.site_id:
            raise ValidationError({"cem": _("The CEM does not belong to the chosen site.")})


def _new_research_code() -> str:
    from lms.codes import research_code_generate

    return research_code_generate()


class ResearchIdentity(models.Model):
    """The research code of one participant: the only key of her questionnaire answers.

    The participant (roster) code is printed beside names on sign-in sheets, actas and
    certificates; the research code never is. Only :mod:`lms.research_codes` reads this table,
    for the services that write answers, pair waves and answer data-rights requests. It has no
    admin, no audit entry and no page: an entry that named the person beside the code would
    undo the separation. Deleting the row dissociates the person's answers for good."""

    profile = models.OneToOneField(
        ParticipantProfile, on_delete=models.CASCADE, related_name="research_identity"
    )
    research_code = models.CharField(
        _("research code"), max_length=16, unique=True, default=_new_research_code, editable=False
    )

    class Meta:
        verbose_name = _("research identity")
        verbose_name_plural = _("research identities")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


def generation_band(birth_year: int | None, *, on: date | None = None) -> str:
    """The research's generation band from the age reached in the given (or current) year."""
    if not birth_year:
        return ""
    age = (on or date.today()).year - birth_year
    if 20 <= age <= 29:
        return ParticipantProfile.Generation.YOUNG
    if 35 <= age <= 50:
        return ParticipantProfile.Generation.ADULT
    return ParticipantProfile.Generation.OTHER


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditLogEntry(models.Model):
    """Append-only record of every change to enrollments, deliveries, attendance, certificates."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_fail", _("Failed sign-in")
        LOCKED = "locked", _("Sign-in paused")
        UNLOCKED = "unlocked", _("Sign-in unlocked")
        CODE_ISSUED = "code", _("One-time code issued")
        CODE_USED = "code_used", _("Password set with a code")

    class Origin(models.TextChoices):
        """Where a change came from when it was not made on a screen at the time it was saved."""

        DEVICE = "device", _("sent from a trainer's device")
        PAPER = "paper", _("typed in from a paper sheet")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Empty for a change made on a screen; `created_at` is always when the server received it.
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, blank=True)
    device_time = models.DateTimeField(_("time on the device"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")


@register_setting(icon="lock")
class DataProtectionSettings(BaseGenericSetting):
    """Who is responsible for the personal data, as Ley 29733 requires consent texts to say, how
    long each kind of data is kept, and the legal periods for answering a person's requests.
    Filled in by the organisation in the admin; shown on the consent screen and "My data"."""

    class AnswersAtRetention(models.TextChoices):
        DELETE = "delete", _("Delete them")
        AGGREGATE = "aggregate", _("Keep only aggregate counts per cohort and wave, then delete")

    controller_name = models.CharField(_("data controller"), max_length=200, blank=True)
    controller_address = models.CharField(
        _("address of the data controller"), max_length=300, blank=True
    )
    data_bank = models.CharField(
        _("registered personal data bank"),
        max_length=200,
        blank=True,
        help_text=_("Name and registration code at the national data protection authority."),
    )
    retention = models.CharField(_("how long the answers are kept"), max_length=200, blank=True)
    rights_contact = models.CharField(
        _("where to exercise ARCO rights"),
        max_length=200,
        blank=True,
        help_text=_("An e-mail address or office; the CEM coordinator is always an option."),
    )

    # Answering requests. The earlier regulation (DS 003-2013-JUS) gave about 20 business days
    # for access and 10 for the other rights: confirm the periods of DS 016-2024-JUS.
    rectification_days = models.PositiveSmallIntegerField(
        _("days to answer a rectification"), default=10, validators=[MinValueValidator(1)]
    )
    cancellation_days = models.PositiveSmallIntegerField(
        _("days to answer a cancellation"), default=10, validators=[MinValueValidator(1)]
    )
    opposition_days = models.PositiveSmallIntegerField(
        _("days to answer an opposition"), default=10, validators=[MinValueValidator(1)]
    )
    business_days = models.BooleanField(
        _("count business days"),
        default=True,
        help_text=_("Monday to Friday, leaving out the holidays listed below."),
    )
    holidays = models.TextField(
        _("holidays"),
        blank=True,
        help_text=_("Dates that are not business days, one per line as YYYY-MM-DD."),
    )

    # Retention, applied every day by the periodic job and by `manage.py apply_retention`.
    answers_retention_months = models.PositiveSmallIntegerField(
        _("keep questionnaire answers for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Counted from submission (drafts: from their last change). Empty: keep."),
    )
    answers_at_retention = models.CharField(
        _("answers past retention"),
        max_length=10,
        choices=AnswersAtRetention.choices,
        default=AnswersAtRetention.AGGREGATE,
    )
    audit_retention_months = models.PositiveSmallIntegerField(
        _("keep audit log entries for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(12)],
        help_text=_("Empty: keep the audit trail for good."),
    )
    lookups_retention_days = models.PositiveSmallIntegerField(
        _("keep certificate verification lookups for (days)"),
        null=True,
        blank=True,
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: keep."),
    )
    exports_retention_hours = models.PositiveSmallIntegerField(
        _("keep a person's data download for (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 7)],
        help_text=_("Its link works for as long; then the files are deleted."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("controller_name"),
                FieldPanel("controller_address"),
                FieldPanel("data_bank"),
                FieldPanel("retention"),
                FieldPanel("rights_contact"),
            ],
            heading=_("Data controller"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("rectification_days"),
                FieldPanel("cancellation_days"),
                FieldPanel("opposition_days"),
                FieldPanel("business_days"),
                FieldPanel("holidays"),
            ],
            heading=_("Answering data-rights requests"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("answers_retention_months"),
                FieldPanel("answers_at_retention"),
                FieldPanel("audit_retention_months"),
                FieldPanel("lookups_retention_days"),
                FieldPanel("exports_retention_hours"),
            ],
            heading=_("Retention"),
        ),
    ]

    class Meta:
        verbose_name = _("data protection")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self) -> None:
        try:
            parse_holidays(self.holidays)
        except ValueError as error:
            raise ValidationError({"holidays": str(error)}) from error


class AccountCode(models.Model):
    """A one-time code with which a person sets her own password: to activate an account made by
    a roster import, or to replace a forgotten password. Only a keyed hash of the code is kept;
    the code itself is shown once (printed, or sent in an e-mailed link)."""

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Activation")
        RESET = "reset", _("New password")

    class Channel(models.TextChoices):
        PRINTED = "printed", _("Printed")
        EMAIL = "email", _("E-mailed link")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_codes"
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The code is derived from the nonce with the secret key (so that a task can send it by id);
    # the hash finds the row from the code someone types.
    nonce = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["user", "created_at"])]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_channel_display()}"

    @property
    def is_usable(self) -> bool:
        return (
            self.used_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()
        )


# The data-rights workflow keeps its rows in its own package; importing them registers them.
from lms.datarights.models import DataRightsRequest, PersonalDataExport  # noqa: E402, F401
