"""The per-role dashboard every user lands on after logging in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from home.selectors import dashboard_for

# The accreditation screens live in their own app; until its URLs are installed the link
# points at the path they are published under, so this page never breaks because of it.
ACCREDITATION_FALLBACK = "/acreditacion/"


def _accreditation_url() -> str:
    try:
        return reverse("accreditation:index")
    except NoReverseMatch:
        return ACCREDITATION_FALLBACK


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    dashboard = dashboard_for(request.user, request=request)
    return TemplateResponse(
        request,
        "home/dashboard.html",
        {
            "dashboard": dashboard,
            "accreditation_url": _accreditation_url() if dashboard.accreditor else "",
        },
    )
