"""Districts in the coordinators' admin (*Delivery → Districts*): the shipped INEI file gives
those of the programme's departments; a coordinator adds others of her site. Deleting one that
a community group uses is refused; every change is audit-logged."""

from django.utils.translation import gettext_lazy

from courses.models import District
from lms.admin_toolkit import (
    DELIVERY_MENU_HOOK,
    AuditedCreateView,
    AuditedDeleteView,
    AuditedEditView,
    SiteChoiceForm,
    SiteFilterSet,
    SiteScopedViewSet,
)


class DistrictFilterSet(SiteFilterSet):
    class Meta:
        model = District
        fields = ["site"]


class DistrictForm(SiteChoiceForm):
    class Meta:
        model = District
        fields = ["ubigeo", "name", "province", "department", "site"]


class DistrictViewSet(SiteScopedViewSet):
    model = District
    name = "districts"
    url_prefix = "delivery/districts"
    icon = "pick"
    menu_order = 55
    menu_hook = DELIVERY_MENU_HOOK
    list_display = ["name", "ubigeo", "province", "department", "site"]
    list_select_related = ("site",)
    search_fields = ["name", "ubigeo", "province"]
    ordering = ["department", "province", "name"]
    filterset_class = DistrictFilterSet
    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView
    delete_protected_by = ("groups",)
    delete_protected_message = gettext_lazy(
        "Community groups are registered in this district: it cannot be deleted."
    )

    def get_form_class(self, for_update=False):
        return DistrictForm
