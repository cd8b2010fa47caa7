"""Wagtail admin for sites, CEMs, participant profiles and the (read-only) audit log.

The admin is the coordinators' tool. A site coordinator only ever loads objects of their own site
(see :mod:`lms.admin_toolkit`): another site's object answers 404, and form choices are limited
the same way. Superusers and national coordinators (no site on their profile) see everything.
"""

from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from lms import access
from lms.admin_toolkit import (
    DELIVERY_MENU_HOOK,
    AuditedCreateView,
    AuditedDeleteView,
    AuditedEditView,
    SiteChoiceForm,
    SiteFilterSet,
    SiteScopedViewSet,
    is_site_coordinator,
    person_label,
)
from lms.audit import audit_changes
from lms.models import CEM, AuditLogEntry, ParticipantProfile, Site

# --- Sites -------------------------------------------------------------------------------------


class SiteViewSet(SiteScopedViewSet):
    """The three programme sites come from a data migration; coordinators only read them."""

    model = Site
    name = "programme_sites"
    url_prefix = "delivery/sites"
    icon = "site"
    menu_order = 40
    list_display = ["name", "region"]
    search_fields = ["name", "region"]
    form_fields = ["name", "slug", "region", "description"]
    delete_protected_by = ("cems", "profiles")
    delete_protected_message = gettext_lazy("This site has CEMs or people and cannot be deleted.")


# --- CEMs --------------------------------------------------------------------------------------


class CEMFilterSet(SiteFilterSet):
    class Meta:
        model = CEM
        fields = ["site"]


class CEMForm(SiteChoiceForm):
    class Meta:
        model = CEM
        fields = ["site", "name"]


class CEMViewSet(SiteScopedViewSet):
    model = CEM
    name = "cems"
    url_prefix = "delivery/cems"
    icon = "home"
    menu_order = 50
    list_display = ["name", "site"]
    list_select_related = ("site",)
    search_fields = ["name"]
    filterset_class = CEMFilterSet
    delete_protected_by = ("cohorts", "profiles")
    delete_protected_message = gettext_lazy("This CEM has cohorts or people and cannot be deleted.")

    def get_form_class(self, for_update=False):
        return CEMForm


# --- Participant profiles ----------------------------------------------------------------------


class ProfileFilterSet(SiteFilterSet):
    sex = ChoiceFilter(label=capfirst(gettext_lazy("sex")), choices=ParticipantProfile.Sex.choices)
    generation = ChoiceFilter(
        label=capfirst(gettext_lazy("generation")), choices=ParticipantProfile.Generation.choices
    )

    class Meta:
        model = ParticipantProfile
        fields = ["site", "sex", "generation"]


class ProfileForm(WagtailAdminModelForm):
    """Where a person belongs (site, CEM) and the data the research splits by."""

    class Meta:
        model = ParticipantProfile
        fields = ["user", "site", "cem", "sex", "birth_year", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "user" in self.fields:
            # A profile is created for a person who has none yet (accounts come from the roster
            # import or the administrators).
            people = access.profile_candidates(user)
            self.fields["user"].queryset = people.order_by("last_name", "first_name", "username")
            self.fields["user"].label_from_instance = person_label
            self.fields["user"].label = _("person")
        self.fields["site"].queryset = access.coordinated(user, Site)
        self.fields["cem"].queryset = access.coordinated(user, CEM.objects.select_related("site"))
        self.fields["cem"].label_from_instance = lambda cem: f"{cem.name} · {cem.site}"
        if is_site_coordinator(user):
            # An empty site means national scope: a site coordinator must never grant it.
            self.fields["site"].required = True
            self.fields["site"].help_text = ""
            self.fields["site"].empty_label = None


class ProfileEditForm(ProfileForm):
    class Meta:
        model = ParticipantProfile
        fields = ["site", "cem", "sex", "birth_year", "phone"]


def _profile_person(profile: ParticipantProfile) -> str:
    return person_label(profile.user)


class ParticipantProfileViewSet(SiteScopedViewSet):
    model = ParticipantProfile
    name = "participant_profiles"
    url_prefix = "delivery/profiles"
    icon = "user"
    menu_order = 60
    list_display = [
        "participant_code",
        Column("person", label=capfirst(gettext_lazy("person")), accessor=_profile_person),
        "site",
        "cem",
        "generation",
        "sex",
    ]
    list_select_related = ("user", "site", "cem")
    ordering = "participant_code"
    search_fields = ["participant_code", "user__first_name", "user__last_name", "user__username"]
    filterset_class = ProfileFilterSet
    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView
    delete_protected_by = ("user__enrollments",)
    delete_protected_message = gettext_lazy(
        "This person has enrollments; their profile cannot be deleted."
    )

    def get_form_class(self, for_update=False):
        return ProfileEditForm if for_update else ProfileForm


# --- Audit log (read only) ---------------------------------------------------------------------


class AuditLogFilterSet(SiteFilterSet):
    action = ChoiceFilter(
        label=capfirst(gettext_lazy("action")), choices=AuditLogEntry.Action.choices
    )

    class Meta:
        model = AuditLogEntry
        fields = ["site", "action"]


def _audit_actor(entry: AuditLogEntry) -> str:
    return person_label(entry.actor) if entry.actor else "—"


def _audit_changes(entry: AuditLogEntry) -> str:
    changes = audit_changes(entry.before, entry.after)
    return "; ".join(f"{field}: {old} → {new}" for field, (old, new) in changes.items())


class AuditLogViewSet(SiteScopedViewSet):
    """A listing only: there is no add, edit or delete view for the audit log, for anyone."""

    model = AuditLogEntry
    name = "audit_log"
    url_prefix = "delivery/audit-log"
    icon = "history"
    menu_order = 70
    list_display = [
        DateColumn("created_at", label=capfirst(gettext_lazy("time")), sort_key="created_at"),
        Column("actor", label=capfirst(gettext_lazy("actor")), accessor=_audit_actor),
        Column("action", label=capfirst(gettext_lazy("action")), accessor="get_action_display"),
        Column("object_repr", label=capfirst(gettext_lazy("object"))),
        Column("site", label=capfirst(gettext_lazy("site"))),
        Column("changes", label=capfirst(gettext_lazy("changes")), accessor=_audit_changes),
    ]
    list_select_related = ("actor", "site", "content_type")
    search_fields = ["object_repr"]
    filterset_class = AuditLogFilterSet
    form_fields = []

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        for name in (
            "add_url_name",
            "edit_url_name",
            "delete_url_name",
            "copy_url_name",
            "history_url_name",
            "usage_url_name",
            "inspect_url_name",
        ):
            kwargs[name] = None
        return kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def register_admin_url_finder(self):
        # No edit view to point to.
        return None


class DeliveryViewSetGroup(ViewSetGroup):
    """The coordinators' menu: cohorts, enrollments and sessions (from `courses`), then sites,
    CEMs, people and the audit log."""

    menu_label = gettext_lazy("Delivery")
    menu_icon = "group"
    menu_order = 250
    submenu_hook = DELIVERY_MENU_HOOK
    items = (SiteViewSet, CEMViewSet, ParticipantProfileViewSet, AuditLogViewSet)
