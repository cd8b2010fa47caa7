"""The shared toolkit of the coordinators' admin: viewsets scoped to the sites a user coordinates,
a site list filter, declarative "protected by" deletion, audited views, service refusals.

Every view of a :class:`SiteScopedViewSet` loads its objects through
:func:`lms.access.coordinated`, so another site's object answers 404 and form choices are
limited the same way; the lookup from a model to its site is the access module's. A viewset
says declaratively what protects an object from deletion and which many-to-many relations its
audit entries record::

    class CEMViewSet(SiteScopedViewSet):
        model = CEM
        delete_protected_by = ("cohorts", "profiles")
        delete_protected_message = gettext_lazy("This CEM has cohorts or people …")

Models whose writes have rules save through their services (the admin calls the services):
views catch the services' refusals and show them on the form (:class:`ServiceRefusalMixin`).
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from django_filters import ModelChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from lms import access
from lms.audit import Snapshot, audit_entry, audit_record, model_snapshot
from lms.models import AuditLogEntry, Site
from lms.roles import Role

# Sub-menu hook of the "Delivery" menu, so that viewsets of other apps (cohorts, enrollments,
# session deliveries) join the same menu without this app knowing about them.
DELIVERY_MENU_HOOK = "register_delivery_menu_item"


# --- Choices and labels ------------------------------------------------------------------------


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


def site_id_of(instance: models.Model) -> int | None:
    """Follow the model's lookup to its site ("cohort__cem__site") on an instance."""
    site_path = access.site_path(type(instance))
    if site_path == "pk":
        return instance.pk
    *relations, last = site_path.split("__")
    obj = instance
    for name in relations:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def admin_index_url(viewset_name: str, **params) -> str:
    """The index of one of the delivery viewsets, optionally filtered (?cohort=3)."""
    url = reverse(f"{viewset_name}:index")
    if params:
        url += "?" + urlencode(params)
    return url


class SiteFilterSet(WagtailFilterSet):
    """List filters with a "site" filter first, on the model's lookup to its site."""

    site = ModelChoiceFilter(label=capfirst(gettext_lazy("site")), queryset=admin_sites_for_request)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["site"].field_name = access.site_path(self._meta.model)


# --- Views -------------------------------------------------------------------------------------


class SiteChoiceForm(WagtailAdminModelForm):
    """An admin form whose `site` offers only the sites the user coordinates, her own chosen
    already (for the records a coordinator adds at her site: CEMs, districts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = access.coordinated(self.for_user, Site)
        scope = access.coordination_scope(self.for_user)
        if scope.site_id is not None:
            self.fields["site"].initial = scope.site_id


class SiteScopedViewMixin:
    """Every object a view loads is one the user coordinates (:func:`lms.access.coordinated`):
    another site's object answers 404. Accreditors and trainers get nothing, even if someone
    grants them access to the admin by mistake."""

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
    """A service may still refuse (a rule of the site, a full cohort, a race): show it on the
    form, on the field it is about when it names one, and save nothing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
                form.add_error(None, exc)
            else:
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
    """Deletion refused while any of `protected_by` (lookups to related rows) exists."""

    protected_by: tuple[str, ...] = ()
    protected_message = ""

    def get_queryset(self):
        return self.scope(super().get_queryset())

    def delete_refusal(self) -> str | None:
        manager = type(self.object)._default_manager
        for lookup in self.protected_by:
            if manager.filter(pk=self.object.pk, **{f"{lookup}__isnull": False}).exists():
                return str(self.protected_message)
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
    """Writes one audit-log entry (actor, before, after) in the same transaction as the save,
    for models the admin saves itself (not through a service that audits)."""

    audit_many_to_many: tuple[str, ...] = ()

    def audit_snapshot(self, instance: models.Model) -> Snapshot:
        return model_snapshot(instance, many_to_many=self.audit_many_to_many)


class AuditedCreateView(AuditedViewMixin, ScopedCreateView):
    def save_instance(self):
        instance = super().save_instance()
        audit_record(
            actor=self.request.user,
            action=AuditLogEntry.Action.CREATE,
            instance=instance,
            site=site_id_of(instance),
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
                site=site_id_of(instance) or site_id_of(stored),
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
            site=site_id_of(self.object),
            before=self.audit_snapshot(self.object),
        )
        with transaction.atomic():
            super().delete_action()
            entry.save()


# --- The viewset -------------------------------------------------------------------------------


class SiteScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to the sites the user coordinates."""

    list_select_related = ()
    #: Lookups to related rows that forbid deleting an object while any exists.
    delete_protected_by: tuple[str, ...] = ()
    delete_protected_message = ""
    #: Many-to-many relations recorded in the audit entries the admin writes itself.
    audit_many_to_many: tuple[str, ...] = ()
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

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(list_select_related=self.list_select_related, **kwargs)

    def _audited(self, view_class) -> dict:
        if issubclass(view_class, AuditedViewMixin):
            return {"audit_many_to_many": self.audit_many_to_many}
        return {}

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(**self._audited(self.add_view_class), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._audited(self.edit_view_class), **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(
            protected_by=self.delete_protected_by,
            protected_message=self.delete_protected_message,
            **self._audited(self.delete_view_class),
            **kwargs,
        )
