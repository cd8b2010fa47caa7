"""Curriculum validation rounds: what is validated, with whom, what they said, what changed.

A round freezes what it validates: the course revision, and for each session its revision, its
title and a plain-text description, so that later edits of the curriculum never change what
participants rated. Individual feedback is stored under the participant's research code with
the site, sex and generation copied at submission, never with a link to the person; the
participant list says who takes part, not what anybody answered.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The four ratings asked for every session or concept, in order, with their labels.
RATINGS: tuple[tuple[str, str], ...] = (
    ("clear", pgettext_lazy("validation rating", "Clear")),
    ("relevant", _("Relevant to my community")),
    ("fits", _("Fits how people here talk and live")),
    ("safe", _("I would feel safe running it")),
)
RATING_CODES = tuple(code for code, _label in RATINGS)
#: The 1–5 scale of every rating, with its labels.
SCALE: tuple[tuple[int, str], ...] = (
    (1, _("Not at all")),
    (2, _("A little")),
    (3, _("Somewhat")),
    (4, _("Quite")),
    (5, _("Very much")),
)
SCALE_MIN, SCALE_MAX = 1, 5
#: Ratings counted as favourable in the "share rating 4–5".
HIGH_RATINGS = frozenset({4, 5})

_rating = {
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
}


class ValidationRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open for feedback")
        CLOSED = "closed", _("Closed")

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="validation_rounds",
        verbose_name=_("course"),
    )
    course_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course revision validated"),
    )
    curriculum_version = models.CharField(_("curriculum version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("what we ask participants"), blank=True)
    sites = models.ManyToManyField(
        "lms.Site", related_name="validation_rounds", verbose_name=_("sites")
    )
    cems = models.ManyToManyField(
        "lms.CEM", related_name="validation_rounds", verbose_name=_("CEMs")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_text = models.TextField(_("consent text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("validation round")
        verbose_name_plural = _("validation rounds")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ValidationItem(models.Model):
    """A session of the course, or a free-standing concept, as participants see it."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Session")
        KEY_MESSAGE = "key_message", _("Key message")
        ACTIVITY = "activity", _("Proposed activity")
        CONCEPT = "concept", _("Concept")

    round = models.ForeignKey(ValidationRound, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=12)
    position = models.PositiveSmallIntegerField(_("position"))
    session = models.ForeignKey(
        "courses.SessionPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="validation_items",
        verbose_name=_("session"),
    )
    session_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("item to validate")
        verbose_name_plural = _("items to validate")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="unique_validation_item_code"),
            models.UniqueConstraint(
                fields=["round", "session"],
                condition=models.Q(session__isnull=False),
                name="unique_validation_item_session",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ValidationParticipant(models.Model):
    """A person taking part in a round. Site and CEM come from her profile when she is added."""

    class Source(models.TextChoices):
        PROFILE = "profile", _("Chosen from the registered people")
        CSV = "csv", _("Imported from a CSV file")

    round = models.ForeignKey(
        ValidationRound, on_delete=models.PROTECT, related_name="participants"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="validation_participations",
        verbose_name=_("person"),
    )
    site = models.ForeignKey("lms.Site", on_delete=models.PROTECT, related_name="+")
    cem = models.ForeignKey("lms.CEM", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("added"), max_length=10, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("validation participant")
        verbose_name_plural = _("validation participants")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"], name="unique_validation_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.person_id}"


class ValidationConsent(models.Model):
    """A participant's informed decision about taking part, against a version of the text."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    class Method(models.TextChoices):
        ONLINE = "online", _("Online, with her own account")
        PAPER = "paper", _("Signed on the paper form")

    participant = models.OneToOneField(
        ValidationParticipant, on_delete=models.PROTECT, related_name="consent"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    text_version = models.CharField(_("consent text version"), max_length=20)
    decided_at = models.DateTimeField(_("decided at"))
    method = models.CharField(_("given"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("validation consent")
        verbose_name_plural = _("validation consents")

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.get_decision_display()}"


class ValidationFeedback(models.Model):
    """One participant's feedback on a round, under her research code, never her name.

    No key leads from here to a person: site, sex and generation are copied at submission so
    that results need no identifying join. `entered_by` is the facilitator who typed a paper
    form; online feedback records nobody."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("From paper")

    round = models.ForeignKey(ValidationRound, on_delete=models.PROTECT, related_name="feedback")
    research_code = models.CharField(_("research code"), max_length=32)
    site = models.ForeignKey("lms.Site", on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    generation = models.CharField(_("generation"), max_length=5, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    missing = models.TextField(_("what is missing"), blank=True)
    # A re-sent form (double tap, a phone resending) carries the same key and is recognised.
    submission_key = models.UUIDField(unique=True, editable=False)
    content_digest = models.CharField(max_length=64, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("validation feedback")
        verbose_name_plural = _("validation feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "research_code"], name="one_validation_feedback_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ValidationAnswer(models.Model):
    """The four ratings (each 1–5, or not given) and the comment on one item."""

    feedback = models.ForeignKey(
        ValidationFeedback, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(ValidationItem, on_delete=models.PROTECT, related_name="answers")
    clear = models.PositiveSmallIntegerField(pgettext_lazy("validation rating", "clear"), **_rating)
    relevant = models.PositiveSmallIntegerField(_("relevant"), **_rating)
    fits = models.PositiveSmallIntegerField(_("fits"), **_rating)
    safe = models.PositiveSmallIntegerField(_("safe to run"), **_rating)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} · {self.item_id}"


class ValidationWorkshop(models.Model):
    """A validation workshop (focus group) at a site: who came, in counts only, and notes."""

    round = models.ForeignKey(ValidationRound, on_delete=models.PROTECT, related_name="workshops")
    site = models.ForeignKey(
        "lms.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    cem = models.ForeignKey(
        "lms.CEM", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("general notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Generated when the form is first shown, so that a re-sent form is recognised.
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("validation workshop")
        verbose_name_plural = _("validation workshops")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.site_id} · {self.held_on}"


class WorkshopHeadcount(models.Model):
    workshop = models.ForeignKey(
        ValidationWorkshop, on_delete=models.CASCADE, related_name="headcounts"
    )
    sex = models.CharField(_("sex"), max_length=1)
    generation = models.CharField(_("generation"), max_length=5)
    count = models.PositiveSmallIntegerField(_("people"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "sex", "generation"], name="one_headcount_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.generation}: {self.count}"


class WorkshopAssessment(models.Model):
    """The group's overall assessment of one item, with notes and short anonymous quotes."""

    class Verdict(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        ADAPT = "adapt", _("Adapt")
        REJECT = "reject", _("Reject")

    workshop = models.ForeignKey(
        ValidationWorkshop, on_delete=models.CASCADE, related_name="assessments"
    )
    item = models.ForeignKey(ValidationItem, on_delete=models.PROTECT, related_name="assessments")
    verdict = models.CharField(_("assessment"), max_length=10, choices=Verdict.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    quotes = models.TextField(_("quotes"), blank=True, help_text=_("One quote per line."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "item"], name="one_assessment_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} · {self.item_id}: {self.verdict}"

    def quote_lines(self) -> list[str]:
        return [line.strip() for line in self.quotes.splitlines() if line.strip()]


class ValidationFinding(models.Model):
    """What the team concludes from the results, and what it decides to do about it."""

    class Tag(models.TextChoices):
        UNCLEAR = "unclear", _("Unclear")
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        CULTURALLY_INAPPROPRIATE = "culturally_inappropriate", _("Culturally inappropriate")
        RISK = "risk", _("Risk for participants")
        MISSING_TOPIC = "missing_topic", _("Missing topic")
        OTHER = "other", _("Other")

    class Decision(models.TextChoices):
        ADOPT = "adopt", _("Adopt")
        ADAPT = "adapt", _("Adapt")
        REJECT = "reject", _("Reject")

    round = models.ForeignKey(ValidationRound, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(_("title"), max_length=200)
    items = models.ManyToManyField(
        ValidationItem, related_name="findings", blank=True, verbose_name=_("sessions and concepts")
    )
    workshops = models.ManyToManyField(
        ValidationWorkshop, related_name="findings", blank=True, verbose_name=_("workshops")
    )
    evidence = models.TextField(_("evidence"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("validation finding")
        verbose_name_plural = _("validation findings")
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return self.title

    def tag_labels(self) -> list[str]:
        labels = dict(self.Tag.choices)
        return [str(labels.get(tag, tag)) for tag in self.tags]


class FindingRevision(models.Model):
    """A revision of the course or of one of its sessions that answers a finding."""

    finding = models.ForeignKey(ValidationFinding, on_delete=models.CASCADE, related_name="answers")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cited_at = models.DateTimeField(_("cited at"), auto_now_add=True)

    class Meta:
        ordering = ["cited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "revision"], name="one_citation_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} · {self.revision_id}"
