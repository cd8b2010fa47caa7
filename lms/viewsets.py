"""Wagtail admin for sites, CEMs, participant profiles and the (read-only) audit log.

The admin is the coordinators' tool. A site coordinator only ever loads objects of their own site:
every view of these viewsets filters its queryset per request, so another site's object answers
404, and form choices are limited the same way. Superusers and national coordinators (no site on
their profile) see everything. The scoping mixins here are reused by `courses.viewsets`.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms import access
from lms.audit import Snapshot, audit_changes, audit_entry, audit_record, model_snapshot
from lms.models import CEM, AuditLogEntry, ParticipantProfile, Site
from lms.roles import Role

# Sub-menu hook of the "Delivery" menu, so that viewsets of other apps (cohorts, enrollments,
# session deliveries) join the same menu without this app knowing about them.
DELIVERY_MENU_HOOK = "register_delivery_menu_item"


# --- Scoping -----------------------------------------------------------------------------------


def admin_sites_for_request(request) -> models.QuerySet[Site]:
    """Choices of the "site" list filters (django-filter passes the request)."""
    return access.coordinated(getattr(request, "user", None), Site)


def is_site_coordinator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return access.coordination_scope(user).site_id is not None


def people_with_role(
    user: AbstractBaseUser | AnonymousUser | None, role: Role
) -> models.QuerySet[User]:
    """People of a role that `user` may pick in a form: those of the sites they coordinate."""
    people = User.objects.filter(groups__name=role, is_active=True).select_related("profile")
    return access.coordinated(user, people).order_by("last_name", "first_name")


def person_label(user: User) -> str:
    return user.get_full_name() or user.username


def site_id_of(instance: models.Model, site_path: str) -> int | None:
    """Follow `site_path` ("cohort__cem__site") on an instance to the site's id."""
    if site_path == "pk":
        return instance.pk
    *relations, last = site_path.split("__")
    obj = instance
    for name in relations:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class SiteScopedViewMixin:
    """Every object a view loads is one the user coordinates (:func:`lms.access.coordinated`):
    another site's object answers 404. Accreditors and trainers get nothing, even if someone
    grants them access to the admin by mistake."""

    site_path = None

    def scope(self, queryset: models.QuerySet) -> models.QuerySet:
        return access.coordinated(self.request.user, queryset)


class ScopedIndexView(SiteScopedViewMixin, generic.IndexView):
    list_select_related = ()

    def get_base_queryset(self):
        queryset = self.scope(super().get_base_queryset())
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class ServiceRefusalMixin:
    """A service may still refuse (a full cohort, a race): show it on the form, save nothing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ScopedCreateView(ServiceRefusalMixin, SiteScopedViewMixin, generic.CreateView):
    def get_initial(self):
        # Links such as "Add enrollment" from a cohort pre-fill the form (?cohort=12).
        initial = super().get_initial()
        form_fields = self.get_form_class().base_fields
        for name, value in self.request.GET.items():
            if name in form_fields:
                initial[name] = value
        return initial


class ScopedEditView(ServiceRefusalMixin, SiteScopedViewMixin, generic.EditView):
    def get_queryset(self):
        return self.scope(super().get_queryset())


class ScopedDeleteView(SiteScopedViewMixin, generic.DeleteView):
    """Deletion that can be refused: override `delete_refusal` to explain why."""

    def get_queryset(self):
        return self.scope(super().get_queryset())

    def delete_refusal(self) -> str | None:
        return None

    def refuse(self, message: str):
        messages.error(self.request, message)
        if self.edit_url_name and self.user_has_permission("change"):
            return redirect(self.edit_url_name, self.object.pk)
        return redirect(self.index_url_name)

    def get(self, request, *args, **kwargs):
        if refusal := self.delete_refusal():
            return self.refuse(refusal)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if refusal := self.delete_refusal():
            return self.refuse(refusal)
        return super().post(request, *args, **kwargs)


class ScopedHistoryView(SiteScopedViewMixin, history.HistoryView):
    def get_base_object_queryset(self):
        return self.scope(super().get_base_object_queryset())


class ScopedUsageView(SiteScopedViewMixin, usage.UsageView):
    def get_base_object_queryset(self):
        return self.scope(super().get_base_object_queryset())


class AuditedViewMixin:
    """Writes one audit-log entry (actor, before, after) in the same transaction as the save."""

    def audit_snapshot(self, instance: models.Model) -> Snapshot:
        return model_snapshot(instance)

    def audit_site(self, instance: models.Model) -> int | None:
        return site_id_of(instance, self.site_path)


class AuditedCreateView(AuditedViewMixin, ScopedCreateView):
    def save_instance(self):
        instance = super().save_instance()
        audit_record(
            actor=self.request.user,
            action=AuditLogEntry.Action.CREATE,
            instance=instance,
            site=self.audit_site(instance),
            after=self.audit_snapshot(instance),
        )
        return instance


class AuditedEditView(AuditedViewMixin, ScopedEditView):
    def save_instance(self):
        # The form has already written the new values on self.object: read the stored ones.
        stored = self.model._default_manager.select_for_update().get(pk=self.object.pk)
        before = self.audit_snapshot(stored)
        instance = super().save_instance()
        after = self.audit_snapshot(instance)
        if after != before:
            audit_record(
                actor=self.request.user,
                action=AuditLogEntry.Action.UPDATE,
                instance=instance,
                site=self.audit_site(instance) or self.audit_site(stored),
                before=before,
                after=after,
            )
        return instance


class AuditedDeleteView(AuditedViewMixin, ScopedDeleteView):
    def delete_action(self):
        # Built before deleting: the entry needs the object's id and description.
        entry = audit_entry(
            actor=self.request.user,
            action=AuditLogEntry.Action.DELETE,
            instance=self.object,
            site=self.audit_site(self.object),
            before=self.audit_snapshot(self.object),
        )
        with transaction.atomic():
            super().delete_action()
            entry.save()


class SiteScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to the sites the user manages."""

    site_path = "site"
    list_select_related = ()
    copy_view_enabled = False
    # Wagtail's reference index would add queries to every save of these models (attendance
    # taking included) for a "usage" count nobody needs here.
    add_to_reference_index = False
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(site_path=self.site_path, **kwargs)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(list_select_related=self.list_select_related, **kwargs)


# --- Sites -------------------------------------------------------------------------------------


class SiteDeleteView(ScopedDeleteView):
    def delete_refusal(self):
        if self.object.cems.exists() or self.object.profiles.exists():
            return _("This site has CEMs or people and cannot be deleted.")
        return None


class SiteViewSet(SiteScopedViewSet):
    """The three programme sites come from a data migration; coordinators only read them."""

    model = Site
    name = "programme_sites"
    url_prefix = "delivery/sites"
    icon = "site"
    menu_order = 40
    site_path = "pk"
    list_display = ["name", "region"]
    search_fields = ["name", "region"]
    form_fields = ["name", "slug", "region", "description"]
    delete_view_class = SiteDeleteView


# --- CEMs --------------------------------------------------------------------------------------


class CEMFilterSet(WagtailFilterSet):
    site = ModelChoiceFilter(label=capfirst(gettext_lazy("site")), queryset=admin_sites_for_request)

    class Meta:
        model = CEM
        fields = ["site"]


class CEMForm(WagtailAdminModelForm):
    class Meta:
        model = CEM
        fields = ["site", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = access.coordinated(self.for_user, Site)
        scope = access.coordination_scope(self.for_user)
        if scope.site_id is not None:
            self.fields["site"].initial = scope.site_id


class CEMDeleteView(ScopedDeleteView):
    def delete_refusal(self):
        if self.object.cohorts.exists() or self.object.profiles.exists():
            return _("This CEM has cohorts or people and cannot be deleted.")
        return None


class CEMViewSet(SiteScopedViewSet):
    model = CEM
    name = "cems"
    url_prefix = "delivery/cems"
    icon = "home"
    menu_order = 50
    site_path = "site"
    list_display = ["name", "site"]
    list_select_related = ("site",)
    search_fields = ["name"]
    filterset_class = CEMFilterSet
    delete_view_class = CEMDeleteView

    def get_form_class(self, for_update=False):
        return CEMForm


# --- Participant profiles ----------------------------------------------------------------------


class ProfileFilterSet(WagtailFilterSet):
    site = ModelChoiceFilter(label=capfirst(gettext_lazy("site")), queryset=admin_sites_for_request)
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
            people = User.objects.filter(profile__isnull=True, is_superuser=False, is_active=True)
            if is_site_coordinator(user):
                # A profile with a site limits what a coordinator or accreditor sees: only a
                # national coordinator may give one to them.
                people = people.exclude(is_staff=True).exclude(
                    groups__name__in=[Role.COORDINATOR, Role.ACCREDITOR]
                )
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


class ProfileDeleteView(AuditedDeleteView):
    def delete_refusal(self):
        if self.object.user.enrollments.exists():
            return _("This person has enrollments; their profile cannot be deleted.")
        return None


def _profile_person(profile: ParticipantProfile) -> str:
    return person_label(profile.user)


class ParticipantProfileViewSet(SiteScopedViewSet):
    model = ParticipantProfile
    name = "participant_profiles"
    url_prefix = "delivery/profiles"
    icon = "user"
    menu_order = 60
    site_path = "site"
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
    delete_view_class = ProfileDeleteView

    def get_form_class(self, for_update=False):
        return ProfileEditForm if for_update else ProfileForm


# --- Audit log (read only) ---------------------------------------------------------------------


class AuditLogFilterSet(WagtailFilterSet):
    site = ModelChoiceFilter(label=capfirst(gettext_lazy("site")), queryset=admin_sites_for_request)
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
    site_path = "site"
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


def admin_index_url(viewset_name: str, **params) -> str:
    """The index of one of the delivery viewsets, optionally filtered (?cohort=3)."""
    url = reverse(f"{viewset_name}:index")
    if params:
        url += "?" + urlencode(params)
    return url
