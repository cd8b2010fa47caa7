"""The per-role dashboard every user lands on after logging in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from home.dashboards.page import dashboard_for


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "home/dashboard.html", {"dashboard": dashboard_for(request.user, request=request)}
    )
