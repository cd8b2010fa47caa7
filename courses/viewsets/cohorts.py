"""Cohorts in the admin, with their actions (generate the schedule, import the roster). Created
and changed through the delivery services, which check that the trainers are of the cohort's
site and audit-log who trains."""

from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button

from courses.models import Cohort, CoursePage, Enrollment
from courses.services.delivery import cohort_create, cohort_update
from courses.viewsets import cohort_accounts, cohort_actions
from courses.viewsets.choices import cem_label
from lms import access
from lms.admin_toolkit import (
    DELIVERY_MENU_HOOK,
    ScopedCreateView,
    ScopedEditView,
    ScopedIndexView,
    SiteFilterSet,
    SiteScopedViewSet,
    admin_index_url,
    people_with_role,
    person_label,
)
from lms.models import CEM
from lms.roles import Role


class CohortFilterSet(SiteFilterSet):
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
        self.fields["cem"].label_from_instance = cem_label
        # The cohort's current trainers stay choosable (a coordinator who also trains, someone
        # from another site), so saving the form never silently drops them.
        current = self.instance.trainers.values("pk") if self.instance.pk else []
        candidates = people_with_role(self.for_user, Role.TRAINER)
        self.fields["trainers"].queryset = candidates.model.objects.filter(
            Q(pk__in=candidates.values("pk")) | Q(pk__in=current)
        ).order_by("last_name", "first_name", "username")
        self.fields["trainers"].label_from_instance = person_label


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
    if access.has_any_role(user, access.COORDINATES) and user.has_perm("courses.add_enrollment"):
        items.append(
            (
                _("Accounts and codes"),
                reverse("cohorts:accounts", args=[quote(cohort.pk)]),
                "key",
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


class CohortCreateView(ScopedCreateView):
    def save_instance(self):
        return cohort_create(actor=self.request.user, **self.form.cleaned_data)


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


class CohortEditView(ScopedEditView):
    def save_instance(self):
        return cohort_update(actor=self.request.user, cohort=self.object, **self.form.cleaned_data)

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for label, url, icon, priority in _cohort_action_items(self, self.object):
            buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        return buttons


def _cohort_course(cohort: Cohort) -> str:
    return cohort.course.title


class CohortViewSet(SiteScopedViewSet):
    model = Cohort
    name = "cohorts"
    url_prefix = "delivery/cohorts"
    icon = "group"
    menu_order = 10
    menu_hook = DELIVERY_MENU_HOOK
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
    delete_protected_by = ("enrollments", "deliveries")
    delete_protected_message = gettext_lazy(
        "This cohort has enrollments or session deliveries and cannot be deleted. Close it instead."
    )

    def get_form_class(self, for_update=False):
        return CohortForm

    def get_urlpatterns(self):
        common = {"index_url_name": self.get_url_name("index"), "header_icon": self.icon}
        return super().get_urlpatterns() + [
            path(
                "schedule/<int:pk>/",
                cohort_actions.ScheduleGenerateView.as_view(**common),
                name="generate_schedule",
            ),
            path(
                "roster/<int:pk>/",
                cohort_actions.RosterImportView.as_view(**common),
                name="import_roster",
            ),
            path(
                "accounts/<int:pk>/",
                cohort_accounts.CohortAccountsView.as_view(**common),
                name="accounts",
            ),
        ]
