"""The coordinators' page of sign-in locks in the Wagtail admin: who is paused, and unlocking."""

from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms import access
from lms.accounts.locks import sign_in_locks, sign_in_unlock
from lms.admin_toolkit import person_label

User = get_user_model()


class SignInLocksView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "lms/admin/sign_in_locks.html"
    page_title = gettext_lazy("Sign-in locks")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        access.require_role(request.user, access.COORDINATES)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locks"] = [
            (lock, person_label(lock.user)) for lock in sign_in_locks(self.request.user)
        ]
        return context


@require_POST
def sign_in_unlock_view(request, user_id: int):
    access.require_role(request.user, access.COORDINATES)
    user = access.manage_or_404(request.user, User, pk=user_id)
    sign_in_unlock(actor=request.user, user=user)
    messages.success(request, _("%(person)s can sign in again.") % {"person": person_label(user)})
    return redirect("sign_in_locks")


def admin_urls():
    from django.urls import path

    return [
        path("ingreso/bloqueos/", SignInLocksView.as_view(), name="sign_in_locks"),
        path(
            "ingreso/bloqueos/<int:user_id>/desbloquear/",
            sign_in_unlock_view,
            name="sign_in_unlock",
        ),
    ]
