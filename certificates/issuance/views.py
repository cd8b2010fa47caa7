"""Certificates as their holders and coordinators see them: the activist's own, the cohort's
eligibility table with issuing and closing, revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from certificates.documents.certificate import CONTENT_TYPE, certificate_filename
from certificates.documents.services import certificate_render
from certificates.issuance.selectors import certificates_visible_to, cohort_eligibility
from certificates.issuance.services import certificate_revoke, certificates_issue, cohort_close
from certificates.models import Certificate
from courses.selectors.delivery import cohorts_managed_by, cohorts_supervised_by
from lms.downloads import attachment_response
from lms.roles import Role, has_role


def _can_issue(user, cohort) -> bool:
    """Coordinators (within their scope) and superusers issue, close and revoke."""
    if not (user.is_superuser or has_role(user, Role.COORDINATOR)):
        return False
    return cohorts_managed_by(user).filter(pk=cohort.pk).exists()


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(enrollment__activist=request.user).order_by(
        "-issued_on"
    )
    return TemplateResponse(request, "certificates/mine.html", {"certificates": certificates})


@login_required
@require_safe
def download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(certificates_visible_to(request.user), code=code)
    if not certificate.pdf:
        certificate_render(certificate_id=certificate.pk)  # a worker was late: render now
        certificate.refresh_from_db()
    return attachment_response(
        certificate.pdf.open("rb"),
        filename=certificate_filename(certificate.code),
        content_type=CONTENT_TYPE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_certificates(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(cohorts_supervised_by(request.user), pk=cohort_id)
    can_issue = _can_issue(request.user, cohort)
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
                        "%(count)s certificate issued; its PDF is being prepared.",
                        "%(count)s certificates issued; their PDFs are being prepared.",
                        len(issued),
                    )
                    % {"count": len(issued)},
                )
            else:
                messages.info(request, _("Nothing to issue: no new eligible activist."))
        return redirect("certificates:cohort", cohort_id=cohort.pk)
    rows = cohort_eligibility(cohort)
    return TemplateResponse(
        request,
        "certificates/cohort.html",
        {
            "cohort": cohort,
            "course": cohort.course,
            "rows": rows,
            "can_issue": can_issue,
            "eligible_without": sum(1 for r in rows if r.eligible and not r.certificate),
            "pending": sum(1 for r in rows if r.pending_pdf),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(certificates_visible_to(request.user), code=code)
    cohort = certificate.enrollment.cohort
    if not _can_issue(request.user, cohort):
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
