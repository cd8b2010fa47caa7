"""Certificates as their holders and coordinators see them: the activist's own, the cohort's
eligibility table with issuing and closing, revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from certificates.completion.rule import cohort_completion
from certificates.documents.certificate import CONTENT_TYPE, certificate_filename
from certificates.documents.services import certificate_pdf_ensure
from certificates.issuance.selectors import cohort_eligibility
from certificates.issuance.services import certificate_revoke, certificates_issue, cohort_close
from certificates.models import Certificate
from courses.models import Cohort
from lms import access
from lms.downloads import attachment_response


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    certificates = access.owned(request.user, Certificate).order_by("-issued_on")
    return TemplateResponse(request, "certificates/mine.html", {"certificates": certificates})


@login_required
@require_safe
def download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = access.read_or_404(request.user, Certificate, code=code)
    # A worker was late, the file went missing or the revocation stamp is not on it yet.
    certificate = certificate_pdf_ensure(certificate)
    return attachment_response(
        certificate.pdf.open("rb"),
        filename=certificate_filename(certificate.code),
        content_type=CONTENT_TYPE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_certificates(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = access.read_or_404(
        request.user, Cohort.objects.select_related("course", "cem__site"), pk=cohort_id
    )
    can_issue = access.may_issue_certificates(request.user, cohort)
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "close":
                issued = cohort_close(actor=request.user, cohort=cohort)
            elif action == "issue":
                ids = [int(pk) for pk in request.POST.getlist("enrollment") if pk.isdigit()]
                issued = certificates_issue(
                    actor=request.user, cohort=cohort, enrollment_ids=ids or None
                )
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if issued:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s certificate issued; its PDF will follow.",
                        "%(count)s certificates issued; their PDFs will follow.",
                        len(issued),
                    )
                    % {"count": len(issued)},
                )
            else:
                messages.info(request, _("Nothing to issue: no new eligible activist."))
        return redirect("certificates:cohort", cohort_id=cohort.pk)
    completion = cohort_completion(cohort)
    rows = cohort_eligibility(cohort, completion=completion)
    return TemplateResponse(
        request,
        "certificates/cohort.html",
        {
            "cohort": cohort,
            "course": cohort.course,
            "rows": rows,
            "rule": completion.sentences,
            "can_issue": can_issue,
            "eligible_without": sum(1 for r in rows if r.eligible and not r.certificate),
            "pending": sum(1 for r in rows if r.pending_pdf),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = access.read_or_404(
        request.user, Certificate.objects.select_related("enrollment__cohort__cem__site"), code=code
    )
    cohort = certificate.enrollment.cohort
    if not access.may_issue_certificates(request.user, cohort):
        raise PermissionDenied
    if request.method == "POST":
        try:
            certificate_revoke(
                actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The certificate was revoked."))
            return redirect("certificates:cohort", cohort_id=cohort.pk)
    return TemplateResponse(request, "certificates/revoke.html", {"certificate": certificate})
