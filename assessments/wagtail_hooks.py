from django.urls import reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from assessments.instruments.views import admin_urls


class InstrumentsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.view_instrument")


@hooks.register("register_admin_urls")
def register_instrument_urls():
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_instruments_menu_item():
    from django.utils.translation import gettext_lazy as _

    return InstrumentsMenuItem(
        _("Instruments"), reverse_lazy("assessments_instruments"), icon_name="form", order=650
    )
