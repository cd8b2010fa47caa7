"""Session deliveries in the admin: created and changed through the delivery services (which
check that the session belongs to the cohort's course, and audit-log who facilitates); never
deleted once attendance was taken: the status says what happened instead."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn

from courses.models import SessionDelivery, SessionPage
from courses.services.delivery import delivery_create, delivery_update
from courses.viewsets.choices import cohorts_for_request, managed_cohorts, session_label
from lms.admin_toolkit import (
    DELIVERY_MENU_HOOK,
    AuditedDeleteView,
    ScopedCreateView,
    ScopedEditView,
    SiteFilterSet,
    SiteScopedViewSet,
    people_with_role,
    person_label,
)
from lms.roles import Role


class SessionDeliveryFilterSet(SiteFilterSet):
    cohort = ModelChoiceFilter(label=capfirst(gettext_lazy("cohort")), queryset=cohorts_for_request)
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
        self.fields["session"].label_from_instance = session_label


class SessionDeliveryCreateView(ScopedCreateView):
    def save_instance(self):
        return delivery_create(actor=self.request.user, **self.form.cleaned_data)


class SessionDeliveryEditView(ScopedEditView):
    def save_instance(self):
        return delivery_update(
            actor=self.request.user, delivery=self.object, **self.form.cleaned_data
        )


def _session_title(delivery: SessionDelivery) -> str:
    return delivery.session.title


class SessionDeliveryViewSet(SiteScopedViewSet):
    model = SessionDelivery
    name = "session_deliveries"
    url_prefix = "delivery/sessions"
    icon = "date"
    menu_order = 30
    menu_hook = DELIVERY_MENU_HOOK
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
    delete_view_class = AuditedDeleteView
    delete_protected_by = ("attendance",)
    delete_protected_message = gettext_lazy(
        "Attendance was taken at this session delivery, so it cannot be deleted. "
        "Change its status instead (for example to cancelled)."
    )
    audit_many_to_many = ("facilitators",)  # who facilitated is part of the history too

    def get_form_class(self, for_update=False):
        return SessionDeliveryEditForm if for_update else SessionDeliveryForm
