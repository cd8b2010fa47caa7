"""The training cascade: districts, the community groups certified activists start, and the
replica sessions they run with them (counts by sex × age band, an optional named attendance
list, an optional evidence photo), verified by the CEM staff of their site."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.cascade.bands import COUNT_FIELDS, FIRST_FIELDS, MAX_PARTICIPANTS


class District(models.Model):
    """A district by its INEI ubigeo code. The shipped file (courses/cascade/data) gives the
    districts of the programme's departments; coordinators add others in the admin."""

    ubigeo = models.CharField(
        _("ubigeo"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("An INEI ubigeo code has six digits."))],
    )
    name = models.CharField(_("district"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    department = models.CharField(_("department"), max_length=100)
    site = models.ForeignKey(
        "lms.Site",
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("site"),
        help_text=_("The programme site whose activists may choose this district."),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["department", "province", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"


class CommunityGroup(models.Model):
    """A group a certified activist (or one in a course that requires practice) starts in her
    community, to run the curriculum's sessions with it."""

    class Kind(models.TextChoices):
        MEN = "men", _("Group of men")
        MIXED = "mixed", _("Mixed group")
        YOUTH = "youth", _("Youth group")
        LEADERS = "leaders", _("Local leaders")
        INSTITUTION = "institution", _("Institution")

    activist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_groups",
        verbose_name=_("activist"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind of group"), max_length=12, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="groups", verbose_name=_("district")
    )
    cem = models.ForeignKey(
        "lms.CEM", on_delete=models.PROTECT, related_name="community_groups", verbose_name=_("CEM")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="community_groups",
        verbose_name=_("course whose sessions it uses"),
    )
    start_date = models.DateField(_("start date"))
    co_facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_facilitated_groups",
        verbose_name=_("co-facilitators"),
    )
    members_consented = models.BooleanField(
        _("the members agreed to be listed by name"),
        default=False,
        help_text=_("Only then may a replica session keep a list of names; otherwise counts only."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activist", "name"], name="unique_community_group_name_per_activist"
            )
        ]

    def __str__(self) -> str:
        return self.name


def _count(label):
    return models.PositiveSmallIntegerField(
        label, default=0, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )


def photo_path(instance, filename: str) -> str:
    # A random name: the path tells nothing, and the photo is only served through a view that
    # asks the access module.
    return f"replicas/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class ReplicaSession(models.Model):
    """One session an activist ran with her group. Saved once per client UUID; only verified
    ones count in indicators and toward required practice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned for correction")

    uuid = models.UUIDField(_("client UUID"), unique=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        CommunityGroup,
        on_delete=models.PROTECT,
        related_name="replicas",
        verbose_name=_("community group"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    place = models.CharField(_("place"), max_length=200)
    sessions = models.ManyToManyField(
        "courses.SessionPage", related_name="+", verbose_name=_("curriculum sessions used")
    )
    # Participants by sex × age band (courses.cascade.bands), then those taking part for the
    # first time in the same cells.
    women_under_18 = _count(_("women, under 18"))
    women_18_29 = _count(_("women, 18–29"))
    women_30_49 = _count(_("women, 30–49"))
    women_50_plus = _count(_("women, 50 and over"))
    men_under_18 = _count(_("men, under 18"))
    men_18_29 = _count(_("men, 18–29"))
    men_30_49 = _count(_("men, 30–49"))
    men_50_plus = _count(_("men, 50 and over"))
    other_under_18 = _count(_("other or not said, under 18"))
    other_18_29 = _count(_("other or not said, 18–29"))
    other_30_49 = _count(_("other or not said, 30–49"))
    other_50_plus = _count(_("other or not said, 50 and over"))
    first_women_under_18 = _count(_("first time: women, under 18"))
    first_women_18_29 = _count(_("first time: women, 18–29"))
    first_women_30_49 = _count(_("first time: women, 30–49"))
    first_women_50_plus = _count(_("first time: women, 50 and over"))
    first_men_under_18 = _count(_("first time: men, under 18"))
    first_men_18_29 = _count(_("first time: men, 18–29"))
    first_men_30_49 = _count(_("first time: men, 30–49"))
    first_men_50_plus = _count(_("first time: men, 50 and over"))
    first_other_under_18 = _count(_("first time: other or not said, under 18"))
    first_other_18_29 = _count(_("first time: other or not said, 18–29"))
    first_other_30_49 = _count(_("first time: other or not said, 30–49"))
    first_other_50_plus = _count(_("first time: other or not said, 50 and over"))
    notes = models.TextField(_("notes"), blank=True)
    photo = models.FileField(_("evidence photo"), upload_to=photo_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning it"), blank=True)
    # A re-sent replica is the same UUID with the same digest; a different digest is refused.
    content_digest = models.CharField(_("content digest"), max_length=64, editable=False)
    origin = models.CharField(_("origin"), max_length=10, blank=True)
    device_time = models.DateTimeField(_("time on the device"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("replica session")
        verbose_name_plural = _("replica sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["status", "held_on"])]

    def __str__(self) -> str:
        return f"{self.group} · {self.held_on:%Y-%m-%d}"

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in COUNT_FIELDS)

    @property
    def first_timers(self) -> int:
        return sum(getattr(self, name) for name in FIRST_FIELDS)


class ReplicaAttendee(models.Model):
    """A name on a replica session's attendance list: only for groups whose members agreed."""

    replica = models.ForeignKey(ReplicaSession, on_delete=models.CASCADE, related_name="attendees")
    full_name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("named attendee")
        verbose_name_plural = _("named attendees")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.full_name
