"""Completion evidence for accreditors (read-only): the audit of every cohort, the evidence of
one cohort and its acta as CSV and PDF.

Accreditors, coordinators (their site; national ones every site) and superusers read it;
trainers and activists get 403; a cohort outside the user's scope is 404. Every view answers
GET only: nothing here changes anything, except that each export is written to the audit log.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from certificates.accreditation.audit import completion_audit
from certificates.accreditation.evidence import cohort_evidence
from certificates.accreditation.exports import acta_export
from courses.models import Cohort
from lms import access
from lms.downloads import attachment_response


def _cohort_or_404(request: HttpRequest, cohort_id: int) -> Cohort:
    cohorts = Cohort.objects.select_related("course", "cem__site")
    return access.read_or_404(request.user, cohorts, pk=cohort_id)


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def index(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "certificates/accreditation/index.html",
        {"courses": completion_audit(request.user)},
    )


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    evidence = cohort_evidence(_cohort_or_404(request, cohort_id))
    return TemplateResponse(
        request,
        "certificates/accreditation/cohort.html",
        {"evidence": evidence, "cohort": evidence.cohort, "course": evidence.course},
    )


def _download(request: HttpRequest, cohort_id: int, kind: str) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    filename, mimetype, data = acta_export(actor=request.user, cohort=cohort, kind=kind)
    return attachment_response(data, filename=filename, content_type=mimetype)


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def cohort_csv(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _download(request, cohort_id, "acta.csv")


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def cohort_pdf(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _download(request, cohort_id, "acta.pdf")
