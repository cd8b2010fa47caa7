"""Wagtail admin for cohorts, enrollments and session deliveries (the coordinators' work).

Every view is limited to the sites the user coordinates (see `lms.access.coordinated`).
Enrollments go through the delivery services, which audit-log them; session deliveries are
saved by the form and audit-logged by the views, facilitators included. Neither can be deleted
once attendance was taken: the status says what happened instead.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button

from courses import admin_views
from courses.models import Cohort, CoursePage, Enrollment, SessionDelivery, SessionPage
from courses.services.delivery import enrollment_create, enrollment_set_status
from lms import access
from lms.audit import model_snapshot
from lms.models import CEM
from lms.roles import Role
from lms.viewsets import (
    DELIVERY_MENU_HOOK,
    AuditedCreateView,
    AuditedDeleteView,
    AuditedEditView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    SiteScopedViewSet,
    admin_index_url,
    admin_sites_for_request,
    people_with_role,
    person_label,
)


def managed_cohorts(user):
    """Cohorts `user` manages in the admin (their site's, or all for national coordinators)."""
    return access.coordinated(user, Cohort.objects.select_related("cem__site"))


def _cohorts_for_request(request):
    return managed_cohorts(getattr(request, "user", None))


def _site_id_of_person(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.site_id if profile else None


def _cem_label(cem: CEM) -> str:
    return f"{cem.name} · {cem.site}"


def _session_label(session: SessionPage) -> str:
    return f"{session.get_parent().title} · {session.number}. {session.title}"


# --- Cohorts -----------------------------------------------------------------------------------


class CohortFilterSet(WagtailFilterSet):
    site = ModelChoiceFilter(
        label=capfirst(gettext_lazy("site")),
        field_name="cem__site",
        queryset=admin_sites_for_request,
    )
    status = ChoiceFilter(label=capfirst(gettext_lazy("status")), choices=Cohort.Status.choices)

    class Meta:
        model = Cohort
        fields = ["site", "status"]


class CohortForm(WagtailAdminModelForm):
    class Meta:
        model = Cohort
        fields = [
            "course",
            "cem",
            "name",
            "trainers",
            "start_date",
            "end_date",
            "capacity",
            "status",
        ]
        widgets = {"course": forms.Select, "trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.order_by("title")
        self.fields["cem"].queryset = access.coordinated(
            self.for_user, CEM.objects.select_related("site")
        )
        self.fields["cem"].label_from_instance = _cem_label
        # The cohort's current trainers stay choosable (a coordinator who also trains, someone
        # from another site), so saving the form never silently drops them.
        self.current_trainer_ids = (
            set(self.instance.trainers.values_list("pk", flat=True)) if self.instance.pk else set()
        )
        candidates = people_with_role(self.for_user, Role.TRAINER)
        self.fields["trainers"].queryset = candidates.model.objects.filter(
            Q(pk__in=candidates.values("pk")) | Q(pk__in=self.current_trainer_ids)
        ).order_by("last_name", "first_name", "username")
        self.fields["trainers"].label_from_instance = person_label

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        cem, trainers = cleaned.get("cem"), cleaned.get("trainers")
        if cem and trainers:
            elsewhere = [
                t
                for t in trainers
                if t.pk not in self.current_trainer_ids
                and _site_id_of_person(t) not in (None, cem.site_id)
            ]
            if elsewhere:
                self.add_error(
                    "trainers",
                    _("%(names)s belong to another site.")
                    % {"names": ", ".join(person_label(t) for t in elsewhere)},
                )
        return cleaned


def _cohort_action_items(view, cohort: Cohort) -> list[tuple[str, str, str, int]]:
    """(label, url, icon, priority) of what a coordinator does with a cohort, by permission."""
    user = view.request.user
    items = []
    if user.has_perm("courses.add_sessiondelivery"):
        items.append(
            (
                _("Generate schedule"),
                reverse("cohorts:generate_schedule", args=[quote(cohort.pk)]),
                "calendar",
                40,
            )
        )
    if user.has_perm("courses.add_enrollment"):
        items.append(
            (
                _("Import roster (CSV)"),
                reverse("cohorts:import_roster", args=[quote(cohort.pk)]),
                "upload",
                41,
            )
        )
    items.append((_("Enrollments"), admin_index_url("enrollments", cohort=cohort.pk), "group", 42))
    items.append(
        (
            _("Session deliveries"),
            admin_index_url("session_deliveries", cohort=cohort.pk),
            "date",
            43,
        )
    )
    return items


class CohortAuditMixin:
    def audit_snapshot(self, instance):
        return {
            **model_snapshot(instance),
            "trainers": sorted(instance.trainers.values_list("pk", flat=True)),
        }


class CohortCreateView(CohortAuditMixin, AuditedCreateView):
    pass


class CohortIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                active_count=Count(
                    "enrollments", filter=~Q(enrollments__status=Enrollment.Status.WITHDRAWN)
                )
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for label, url, icon, priority in _cohort_action_items(self, instance):
            buttons.append(MenuItem(label, url, icon_name=icon, priority=priority))
        return buttons


class CohortEditView(CohortAuditMixin, AuditedEditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for label, url, icon, priority in _cohort_action_items(self, self.object):
            buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        return buttons


class CohortDeleteView(ScopedDeleteView):
    def delete_refusal(self):
        if self.object.enrollments.exists() or self.object.deliveries.exists():
            return _(
                "This cohort has enrollments or session deliveries and cannot be deleted. "
                "Close it instead."
            )
        return None


def _cohort_course(cohort: Cohort) -> str:
    return cohort.course.title


class CohortViewSet(SiteScopedViewSet):
    model = Cohort
    name = "cohorts"
    url_prefix = "delivery/cohorts"
    icon = "group"
    menu_order = 10
    menu_hook = DELIVERY_MENU_HOOK
    site_path = "cem__site"
    list_display = [
        "name",
        Column("course", label=capfirst(gettext_lazy("course")), accessor=_cohort_course),
        "cem",
        Column("site", label=capfirst(gettext_lazy("site")), accessor="cem.site"),
        "start_date",
        Column("active_count", label=capfirst(gettext_lazy("enrolled")), sort_key="active_count"),
        "capacity",
        "status",
    ]
    list_select_related = ("course", "cem__site")
    search_fields = ["name", "cem__name"]
    filterset_class = CohortFilterSet
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView

    def get_form_class(self, for_update=False):
        return CohortForm

    def get_urlpatterns(self):
        common = {"index_url_name": self.get_url_name("index"), "header_icon": self.icon}
        return super().get_urlpatterns() + [
            path(
                "schedule/<int:pk>/",
                admin_views.ScheduleGenerateView.as_view(**common),
                name="generate_schedule",
            ),
            path(
                "roster/<int:pk>/",
                admin_views.RosterImportView.as_view(**common),
                name="import_roster",
            ),
        ]


# --- Enrollments -------------------------------------------------------------------------------


class EnrollmentFilterSet(WagtailFilterSet):
    site = ModelChoiceFilter(
        label=capfirst(gettext_lazy("site")),
        field_name="cohort__cem__site",
        queryset=admin_sites_for_request,
    )
    cohort = ModelChoiceFilter(
        label=capfirst(gettext_lazy("cohort")), queryset=_cohorts_for_request
    )
    status = ChoiceFilter(label=capfirst(gettext_lazy("status")), choices=Enrollment.Status.choices)

    class Meta:
        model = Enrollment
        fields = ["site", "cohort", "status"]


class EnrollmentForm(WagtailAdminModelForm):
    """A new enrollment: who, in which cohort, and the record of their consent."""

    class Meta:
        model = Enrollment
        fields = ["cohort", "activist", "consent_method", "consent_given_at", "enrolled_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = managed_cohorts(self.for_user).exclude(
            status=Cohort.Status.CLOSED
        )
        self.fields["activist"].queryset = people_with_role(self.for_user, Role.ACTIVIST)
        self.fields["activist"].label_from_instance = person_label
        self.fields["consent_given_at"].help_text = _(
            "When the activist gave prior, informed consent (Ley 29733)."
        )
        self.fields["enrolled_on"].required = False

    def clean(self):
        cleaned = super().clean()
        cohort, activist = cleaned.get("cohort"), cleaned.get("activist")
        site_id = _site_id_of_person(activist) if activist else None
        if cohort and site_id and site_id != cohort.cem.site_id:
            self.add_error("activist", _("This activist belongs to another site."))
        return cleaned


class EnrollmentStatusForm(WagtailAdminModelForm):
    """An enrollment's status changes; who and the consent record stay as they were given."""

    status_on = forms.DateField(
        label=capfirst(gettext_lazy("date of the change")),
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
        widget=AdminDateInput,
    )

    class Meta:
        model = Enrollment
        fields = ["status"]


class EnrollmentCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return enrollment_create(
            actor=self.request.user,
            cohort=data["cohort"],
            activist=data["activist"],
            consent_method=data["consent_method"],
            consent_given_at=data["consent_given_at"],
            enrolled_on=data.get("enrolled_on"),
        )


class EnrollmentEditView(ScopedEditView):
    def save_instance(self):
        return enrollment_set_status(
            actor=self.request.user,
            enrollment=self.object,
            status=self.form.cleaned_data["status"],
            on=self.form.cleaned_data.get("status_on"),
        )


class EnrollmentDeleteView(AuditedDeleteView):
    def delete_refusal(self):
        if self.object.attendance.exists():
            return _(
                "This enrollment has attendance records and cannot be deleted. "
                "Mark it as withdrawn instead."
            )
        return None


def _participant_code(enrollment: Enrollment) -> str:
    profile = getattr(enrollment.activist, "profile", None)
    return profile.participant_code if profile else ""


class EnrollmentViewSet(SiteScopedViewSet):
    model = Enrollment
    name = "enrollments"
    url_prefix = "delivery/enrollments"
    icon = "user"
    menu_order = 20
    menu_hook = DELIVERY_MENU_HOOK
    site_path = "cohort__cem__site"
    list_display = [
        "__str__",
        Column(
            "participant_code",
            label=capfirst(gettext_lazy("participant code")),
            accessor=_participant_code,
        ),
        "cohort",
        "status",
        DateColumn(
            "enrolled_on", label=capfirst(gettext_lazy("enrolled on")), sort_key="enrolled_on"
        ),
    ]
    list_select_related = ("activist__profile", "cohort__cem__site")
    search_fields = ["activist__first_name", "activist__last_name", "activist__username"]
    filterset_class = EnrollmentFilterSet
    add_view_class = EnrollmentCreateView
    edit_view_class = EnrollmentEditView
    delete_view_class = EnrollmentDeleteView

    def get_form_class(self, for_update=False):
        return EnrollmentStatusForm if for_update else EnrollmentForm


# --- Session deliveries ------------------------------------------------------------------------


class SessionDeliveryFilterSet(WagtailFilterSet):
    site = ModelChoiceFilter(
        label=capfirst(gettext_lazy("site")),
        field_name="cohort__cem__site",
        queryset=admin_sites_for_request,
    )
    cohort = ModelChoiceFilter(
        label=capfirst(gettext_lazy("cohort")), queryset=_cohorts_for_request
    )
    status = ChoiceFilter(
        label=capfirst(gettext_lazy("status")), choices=SessionDelivery.Status.choices
    )

    class Meta:
        model = SessionDelivery
        fields = ["site", "cohort", "status"]


class SessionDeliveryEditForm(WagtailAdminModelForm):
    class Meta:
        model = SessionDelivery
        fields = ["scheduled_at", "place", "facilitators", "status", "notes"]
        widgets = {"facilitators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = people_with_role(self.for_user, Role.TRAINER)
        self.fields["facilitators"].label_from_instance = person_label


class SessionDeliveryForm(SessionDeliveryEditForm):
    """A delivery added by hand; "Generate schedule" on the cohort adds them all at once."""

    class Meta:
        model = SessionDelivery
        fields = ["cohort", "session", "scheduled_at", "place", "facilitators", "status", "notes"]
        widgets = {"session": forms.Select, "facilitators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = managed_cohorts(self.for_user)
        self.fields["session"].queryset = SessionPage.objects.live().order_by("path")
        self.fields["session"].label_from_instance = _session_label

    def clean(self):
        cleaned = super().clean()
        cohort, session = cleaned.get("cohort"), cleaned.get("session")
        if cohort and session and not cohort.course.sessions().filter(pk=session.pk).exists():
            self.add_error(
                "session",
                _("This session is not part of the cohort's course (%(course)s).")
                % {"course": cohort.course.title},
            )
        return cleaned


class DeliveryAuditMixin:
    def audit_snapshot(self, instance):
        # Who facilitates is part of the change history too.
        return {
            **model_snapshot(instance),
            "facilitators": sorted(instance.facilitators.values_list("pk", flat=True)),
        }


class SessionDeliveryCreateView(DeliveryAuditMixin, AuditedCreateView):
    pass


class SessionDeliveryEditView(DeliveryAuditMixin, AuditedEditView):
    pass


class SessionDeliveryDeleteView(DeliveryAuditMixin, AuditedDeleteView):
    def delete_refusal(self):
        if self.object.attendance.exists():
            return _(
                "Attendance was taken at this session delivery, so it cannot be deleted. "
                "Change its status instead (for example to cancelled)."
            )
        return None


def _session_title(delivery: SessionDelivery) -> str:
    return delivery.session.title


class SessionDeliveryViewSet(SiteScopedViewSet):
    model = SessionDelivery
    name = "session_deliveries"
    url_prefix = "delivery/sessions"
    icon = "date"
    menu_order = 30
    menu_hook = DELIVERY_MENU_HOOK
    site_path = "cohort__cem__site"
    list_display = [
        "__str__",
        "cohort",
        Column("session", label=capfirst(gettext_lazy("session")), accessor=_session_title),
        DateColumn(
            "scheduled_at", label=capfirst(gettext_lazy("date and time")), sort_key="scheduled_at"
        ),
        "place",
        "status",
    ]
    list_select_related = ("session", "cohort__cem__site")
    ordering = "scheduled_at"
    search_fields = ["cohort__name", "session__title", "place"]
    filterset_class = SessionDeliveryFilterSet
    add_view_class = SessionDeliveryCreateView
    edit_view_class = SessionDeliveryEditView
    delete_view_class = SessionDeliveryDeleteView

    def get_form_class(self, for_update=False):
        return SessionDeliveryEditForm if for_update else SessionDeliveryForm


def delivery_viewsets() -> list[SiteScopedViewSet]:
    """Registered on their own; they join the "Delivery" menu through its sub-menu hook."""
    return [CohortViewSet(), EnrollmentViewSet(), SessionDeliveryViewSet()]
