"""The accredited curriculum as Wagtail pages: index → course → sessions."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import SessionActivitiesBlock
from courses.validation.page_forms import FindingsCitingPageForm
from lms.access import sees_facilitator_notes

#: Hook whose functions add to a course page's context: (request, page) → dict.
COURSE_PAGE_CONTEXT_HOOK = "course_page_context"


class CurriculumIndexPage(Page):
    intro = RichTextField(blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("curriculum index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.child_of(self).live().order_by("title")
        tag = request.GET.get("tema", "").strip()
        if tag:
            courses = courses.filter(tags__slug=tag)
        context["courses"] = courses.prefetch_related("tags")
        context["themes"] = (
            Tag.objects.filter(
                courses_coursepagetag_items__content_object__in=CoursePage.objects.live()
            )
            .distinct()
            .order_by("name")
        )
        context["current_theme"] = tag
        return context


class CoursePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class CoursePage(RoutablePageMixin, Page):
    class PracticeUnit(models.TextChoices):
        SESSIONS = "sessions", _("verified replica sessions")
        HOURS = "hours", _("hours of verified replica sessions")

    code = models.CharField(_("code"), max_length=20, unique=True)
    summary = models.TextField(_("summary"))
    learning_outcomes = RichTextField(_("learning outcomes"))
    audience = models.TextField(_("audience"))
    accrediting_institution = models.CharField(_("accrediting institution"), max_length=200)
    curriculum_version = models.CharField(_("curriculum version"), max_length=20, default="1.0")
    credit_hours = models.PositiveSmallIntegerField(_("credit hours"))
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance for completion (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of all scheduled sessions of a cohort that an activist must attend."),
    )
    counted_statuses = models.CharField(
        _("attendance statuses that count toward completion"),
        max_length=4,
        default="PL",
        help_text=_("Letters of the statuses that count: P present, L late, E excused, A absent."),
        validators=[
            RegexValidator(
                r"^(?!.*(.).*\1)[PLEA]{1,4}$",
                _("Use the letters P, L, E and A, each at most once."),
            )
        ],
    )
    required_sessions = ParentalManyToManyField(
        "courses.SessionPage",
        blank=True,
        related_name="+",
        verbose_name=_("sessions that must be attended"),
    )
    require_pre_questionnaire = models.BooleanField(
        _("entry questionnaire submitted is required for the certificate"),
        default=False,
        help_text=_("Taking part is voluntary: an activist who declined is not held to this."),
    )
    require_post_questionnaire = models.BooleanField(
        _("exit questionnaire submitted is required for the certificate"),
        default=False,
        help_text=_("Taking part is voluntary: an activist who declined is not held to this."),
    )
    practice_amount = models.PositiveSmallIntegerField(
        _("supervised practice required"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "0: none. Otherwise how many verified replica sessions (or hours of them) each "
            "activist must run with a community group before the certificate."
        ),
    )
    practice_unit = models.CharField(
        _("practice counted in"),
        max_length=10,
        choices=PracticeUnit.choices,
        default=PracticeUnit.SESSIONS,
    )
    practice_days = models.PositiveSmallIntegerField(
        _("days after the cohort's last session to complete the practice"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    tags = ClusterTaggableManager(through=CoursePageTag, blank=True, verbose_name=_("themes"))
    pre_instrument = models.ForeignKey(
        "assessments.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entry questionnaire"),
    )
    post_instrument = models.ForeignKey(
        "assessments.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exit questionnaire"),
    )
    pre_wave_grace_days = models.PositiveSmallIntegerField(
        _("days the entry questionnaire stays open after the first session"),
        default=0,
        help_text=_("0 closes it as soon as the first session is held."),
    )
    post_wave_days = models.PositiveSmallIntegerField(
        _("days the exit questionnaire stays open after the last session"), default=30
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("curriculum_version"),
                FieldPanel("accrediting_institution"),
                FieldPanel("credit_hours"),
            ],
            heading=_("Accreditation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("min_attendance_percent"),
                FieldPanel("counted_statuses"),
                FieldPanel("required_sessions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("require_pre_questionnaire"),
                FieldPanel("require_post_questionnaire"),
                FieldPanel("practice_amount"),
                FieldPanel("practice_unit"),
                FieldPanel("practice_days"),
            ],
            heading=_("Completion rules"),
        ),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("audience"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("pre_instrument"),
                FieldPanel("pre_wave_grace_days"),
                FieldPanel("post_instrument"),
                FieldPanel("post_wave_days"),
            ],
            heading=_("Pre/post questionnaires"),
        ),
        FieldPanel("answers_findings"),
    ]
    base_form_class = FindingsCitingPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.AutocompleteField("code"),
    ]
    parent_page_types = ["courses.CurriculumIndexPage"]
    subpage_types = ["courses.SessionPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def requires_practice(self) -> bool:
        return self.practice_amount > 0

    def sessions(self):
        return SessionPage.objects.child_of(self).live().order_by("number", "path")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        sessions = list(self.sessions().specific())
        context["sessions"] = sessions
        context["total_minutes"] = sum(session.duration_minutes for session in sessions)
        for provide in hooks.get_hooks(COURSE_PAGE_CONTEXT_HOOK):
            context.update(provide(request, self))
        return context

    @path("guia/", name="facilitator_guide")
    def facilitator_guide(self, request: HttpRequest):
        """The whole course as a printable facilitator guide, notes included."""
        if not sees_facilitator_notes(request.user):
            raise Http404
        sessions = list(self.sessions().specific())
        return TemplateResponse(
            request,
            "courses/facilitator_guide.html",
            {
                "page": self,
                "course": self,
                "sessions": sessions,
                "total_minutes": sum(session.duration_minutes for session in sessions),
            },
        )


class SessionPage(RoutablePageMixin, Page):
    number = models.PositiveSmallIntegerField(_("number"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1)]
    )
    objectives = RichTextField(_("objectives"))
    key_messages = RichTextField(_("key messages"), blank=True)
    materials = RichTextField(_("materials"), blank=True)
    activities = StreamField(SessionActivitiesBlock(), verbose_name=_("activities"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("duration_minutes"),
        FieldPanel("objectives"),
        FieldPanel("key_messages"),
        FieldPanel("materials"),
        FieldPanel("activities"),
        FieldPanel("answers_findings"),
    ]
    base_form_class = FindingsCitingPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("objectives"),
        index.SearchField("key_messages"),
        index.SearchField("activities"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def activity_minutes(self) -> int:
        return sum(
            block.value["duration_minutes"] or 0
            for block in self.activities
            if block.block_type == "activity"
        )

    def clean(self) -> None:
        super().clean()
        total = self.activity_minutes()
        if self.duration_minutes and total != self.duration_minutes:
            raise ValidationError(
                {
                    "duration_minutes": _(
                        "The activities add up to %(total)s minutes but the session lasts "
                        "%(duration)s minutes. Adjust the durations so that they match."
                    )
                    % {"total": total, "duration": self.duration_minutes}
                }
            )

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific
        return context

    @path("guia/", name="facilitator_guide")
    def facilitator_guide(self, request: HttpRequest):
        """One session as a printable facilitator guide, notes included."""
        if not sees_facilitator_notes(request.user):
            raise Http404
        return TemplateResponse(
            request,
            "courses/facilitator_guide.html",
            {
                "page": self,
                "course": self.get_parent().specific,
                "sessions": [self],
                "total_minutes": self.duration_minutes,
            },
        )
