"""Certificates: the activist's own, the cohort's eligibility table, public verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from certificates.badges import open_badge_credential, revocation_list
from certificates.models import Certificate
from certificates.rendering import CONTENT_TYPE, certificate_filename
from certificates.selectors import certificates_visible_to, cohort_eligibility
from certificates.services import (
    certificate_render,
    certificate_revoke,
    certificates_issue,
    cohort_close,
    verification_lookup,
)
from courses.models import CoursePage
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


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("codigo", "").strip()
    if code:
        return redirect("certificates:verify", code=code.upper().replace(" ", ""))
    return TemplateResponse(request, "certificates/verify_form.html", {})


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    lookup = verification_lookup(code=code, client_address=_client_address(request))
    if lookup.limited:
        return TemplateResponse(request, "certificates/verify_limited.html", {}, status=429)
    status = 200 if lookup.certificate else 404
    return TemplateResponse(
        request,
        "certificates/verify.html",
        {"certificate": lookup.certificate, "code": code},
        status=status,
    )


@require_safe
def badge(request: HttpRequest, code: str) -> JsonResponse:
    certificate = get_object_or_404(Certificate, code=code)
    response = JsonResponse(
        open_badge_credential(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'inline; filename="insignia-{certificate.code}.json"'
    return response


@require_safe
def revocation_list_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(revocation_list(), json_dumps_params={"ensure_ascii": False})


@require_safe
def achievement(request: HttpRequest, course_code: str) -> HttpResponse:
    course = CoursePage.objects.live().filter(code=course_code).first()
    if course is None:
        raise Http404
    return redirect(course.url)
