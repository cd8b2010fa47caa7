"""Attitude instruments as data, research consent and pseudonymous responses."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def _localised(obj, stem: str) -> str:
    """The Spanish or English variant of a text field, Spanish as fallback."""
    language = (translation.get_language() or "es")[:2]
    return getattr(obj, f"{stem}_{language}", "") or getattr(obj, f"{stem}_es")


class Instrument(models.Model):
    """A questionnaire with its response scale, subscales, items and scoring direction.

    Once an instrument has responses it never changes: a change is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    class DesiredChange(models.TextChoices):
        DECREASE = "decrease", _("A decrease is an improvement")
        INCREASE = "increase", _("An increase is an improvement")

    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    languages = models.JSONField(_("languages"), default=list)
    validated = models.BooleanField(_("validated instrument"), default=False)
    higher_score_means_es = models.CharField(_("a higher score means (Spanish)"), max_length=300)
    higher_score_means_en = models.CharField(
        _("a higher score means (English)"), max_length=300, blank=True
    )
    desired_change = models.CharField(
        _("desired change"), max_length=10, choices=DesiredChange.choices
    )
    scale_min = models.SmallIntegerField(_("lowest answer value"))
    scale_max = models.SmallIntegerField(_("highest answer value"))
    agree_values = models.JSONField(_("answer values that mean agreement"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="active")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def description(self) -> str:
        return _localised(self, "description")

    @property
    def higher_score_means(self) -> str:
        return _localised(self, "higher_score_means")

    @property
    def scoring_key_version(self) -> str:
        """Identifies the key used to score: the instrument version (its items never change)."""
        return f"{self.code}@{self.version}"

    def has_responses(self) -> bool:
        return self.responses.exists()


class ScalePoint(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="scale")
    value = models.SmallIntegerField(_("value"))
    label_es = models.CharField(_("label (Spanish)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "value"], name="unique_scale_value")
        ]

    def __str__(self) -> str:
        return f"{self.value}, {self.label_es}"

    @property
    def label(self) -> str:
        return _localised(self, "label")


class Subscale(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subscales")
    code = models.SlugField(_("code"), max_length=60)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="unique_subscale_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"))
    subscale = models.ForeignKey(
        Subscale, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    reverse = models.BooleanField(_("reverse-coded"), default=False)
    filler = models.BooleanField(_("filler (not scored)"), default=False)
    text_es = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="unique_item_code"),
            models.UniqueConstraint(fields=["instrument", "order"], name="unique_item_order"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return _localised(self, "text")


class Wave(models.TextChoices):
    PRE = "pre", _("Entry (pre)")
    POST = "post", _("Exit (post)")


class ResearchConsent(models.Model):
    """An activist's informed decision about the questionnaires of one enrollment."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        # Accepted once, then withdrawn (opposition): no new questionnaire, and the answers
        # already given are left out of every analysis and export from then on.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    enrollment = models.OneToOneField(
        "courses.Enrollment", on_delete=models.PROTECT, related_name="research_consent"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    text_version = models.CharField(_("consent text version"), max_length=20)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("questionnaire consent")
        verbose_name_plural = _("questionnaire consents")

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.get_decision_display()}"


class ResponseQuerySet(models.QuerySet):
    def analysable(self) -> "ResponseQuerySet":
        """Submitted responses whose participant has not withdrawn them from research."""
        return self.filter(status=Response.Status.SUBMITTED, withdrawn_at__isnull=True)


class Response(models.Model):
    """One participant's answers to one wave, stored under her research code.

    No foreign key leads from a response to a person, and the research code is not the
    participant code printed on rosters: it links to a profile only through
    lms.ResearchIdentity, read by lms.research_codes alone. Site, cohort, sex and generation are
    copied at submission so that analysis needs no identifying join."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    research_code = models.CharField(_("research code"), max_length=16, db_index=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    cohort = models.ForeignKey(
        "courses.Cohort", on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    site = models.ForeignKey("lms.Site", on_delete=models.PROTECT, related_name="+")
    wave = models.CharField(_("wave"), max_length=4, choices=Wave.choices)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    generation = models.CharField(_("generation"), max_length=5, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    # {item code: value, or null for "prefer not to answer"}; unanswered items are absent.
    answers = models.JSONField(_("answers"), default=dict)
    scores = models.JSONField(_("subscale scores"), default=dict)
    scoring_key_version = models.CharField(_("scoring key"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # Set when the participant withdraws her consent for research (opposition): the response
    # is kept but left out of every analysis and export from this moment on.
    withdrawn_at = models.DateTimeField(_("withdrawn from research at"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            models.UniqueConstraint(
                fields=["research_code", "cohort", "wave"], name="one_response_per_wave"
            )
        ]
        indexes = [models.Index(fields=["instrument", "wave", "status"])]

    def __str__(self) -> str:
        return f"{self.research_code} · {self.get_wave_display()}"

    def clean(self) -> None:
        if self.status == self.Status.SUBMITTED and not self.submitted_at:
            raise ValidationError({"submitted_at": _("A submitted response needs its time.")})


class ResponseSummary(models.Model):
    """What is left of a cohort's answers to one wave once they pass their retention period
    and the data-protection settings say "aggregate": counts per answer value of every item
    and, per subscale, the count, sum and sum of squares of the scores (enough for means and
    standard deviations, and to add later batches). No code, sex or generation: nobody's
    answers can be told apart. Small cells are suppressed wherever these are shown."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey("courses.Cohort", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("lms.Site", on_delete=models.PROTECT, related_name="+")
    wave = models.CharField(_("wave"), max_length=4, choices=Wave.choices)
    responses = models.PositiveIntegerField(_("responses"), default=0)
    # {item code: {answer value, or "null" for prefer not to answer: count}}
    item_counts = models.JSONField(_("answers per item"), default=dict)
    # {subscale code: {"n": count, "sum": total, "sum_sq": total of squares}}
    score_sums = models.JSONField(_("score sums"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("aggregated questionnaire answers")
        verbose_name_plural = _("aggregated questionnaire answers")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "cohort", "wave"], name="one_summary_per_cohort_wave"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} · {self.cohort_id} · {self.wave}"
