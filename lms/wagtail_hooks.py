from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms import access
from lms.accounts.admin_views import admin_urls as account_admin_urls
from lms.viewsets import DeliveryViewSetGroup


@hooks.register("register_admin_viewset")
def register_delivery_admin():
    """Sites, CEMs, people and the read-only audit log, in the coordinators' "Delivery" menu."""
    return DeliveryViewSetGroup()


class CoordinatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.has_any_role(request.user, access.COORDINATES)


@hooks.register("register_admin_urls")
def register_account_urls():
    return account_admin_urls()


@hooks.register("register_admin_menu_item")
def register_sign_in_locks_menu_item():
    return CoordinatorsMenuItem(
        _("Sign-in locks"), reverse_lazy("sign_in_locks"), icon_name="lock", order=660
    )


@hooks.register("construct_reports_menu")
def hide_site_history(request, menu_items):
    """The site-wide history shows every site's changes: only for those who see every site."""
    if not access.coordination_scope(request.user).every:
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
