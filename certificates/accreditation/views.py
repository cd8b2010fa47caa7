"""Completion evidence for accreditors (read-only): the audit of every cohort, the evidence of
one cohort and its acta as CSV and PDF.

Accreditors, coordinators (their site; national ones every site) and superusers read it;
trainers and activists get 403; a cohort outside the user's scope is 404. Every view answers
GET only: nothing here changes anything, except that each export is written to the audit log.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from certificates.accreditation.audit import completion_audit
from certificates.accreditation.evidence import cohort_evidence, evidence_cohorts, reads_evidence
from certificates.accreditation.exports import acta_export
from courses.models import Cohort
from lms.downloads import attachment_response


def _require_evidence_reader(request: HttpRequest) -> None:
    if not reads_evidence(request.user):
        raise PermissionDenied


def _cohort_or_404(request: HttpRequest, cohort_id: int) -> Cohort:
    _require_evidence_reader(request)
    return get_object_or_404(evidence_cohorts(request.user), pk=cohort_id)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_evidence_reader(request)
    return TemplateResponse(
        request,
        "certificates/accreditation/index.html",
        {"courses": completion_audit(request.user)},
    )


@login_required
@require_GET
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
def cohort_csv(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _download(request, cohort_id, "acta.csv")


@login_required
@require_GET
def cohort_pdf(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _download(request, cohort_id, "acta.pdf")
