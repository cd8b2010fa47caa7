"""The reach of the cascade (coordinators of their site, national coordinators, accreditors
reading only) and its de-identified export."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from courses.cascade.charts import monthly_bars
from courses.cascade.exports import export_zip, replicas_export
from courses.cascade.presenters import reach_bands
from courses.cascade.reach import reach_for
from lms import access
from lms.downloads import safe_filename, zip_response
from lms.models import Site


def _site_id(request: HttpRequest) -> int | None:
    value = request.GET.get("sede", "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
@access.role_required(access.READS_REACH)
def reach(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    figures = reach_for(request.user, site_id=_site_id(request), today=today)
    chart = monthly_bars([(row.label, row.tally.sessions) for row in figures.by_month])
    return TemplateResponse(
        request,
        "courses/cascade/reach.html",
        {"reach": figures, "chart": chart, "bands": reach_bands(figures)},
    )


@login_required
@require_GET
@access.role_required(access.READS_REACH)
def export(request: HttpRequest) -> HttpResponse:
    site = access.in_figures(request.user, Site).filter(pk=_site_id(request)).first()
    export = replicas_export(actor=request.user, site=site)
    name = safe_filename("replicas", site.slug if site else "todas", extension="zip")
    return zip_response(export_zip(export), filename=name)
