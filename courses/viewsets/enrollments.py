"""Enrollments in the admin: created and changed through the delivery services (which check the
activist's site and the cohort's places, and audit-log every change); never deleted once
attendance was taken."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import AdminDateInput

from courses.models import Cohort, Enrollment
from courses.services.delivery import enrollment_create, enrollment_set_status
from courses.viewsets.choices import cohorts_for_request, managed_cohorts
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


class EnrollmentFilterSet(SiteFilterSet):
    cohort = ModelChoiceFilter(label=capfirst(gettext_lazy("cohort")), queryset=cohorts_for_request)
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
    delete_view_class = AuditedDeleteView
    delete_protected_by = ("attendance",)
    delete_protected_message = gettext_lazy(
        "This enrollment has attendance records and cannot be deleted. "
        "Mark it as withdrawn instead."
    )

    def get_form_class(self, for_update=False):
        return EnrollmentStatusForm if for_update else EnrollmentForm
