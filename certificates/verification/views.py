"""Public verification, no login: the page of a code, the Open Badges credential, the list of
revoked credentials and the achievement (course) a badge points at."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from certificates.models import Certificate
from certificates.verification.badges import open_badge_credential, revocation_list
from certificates.verification.services import verification_lookup
from courses.models import CoursePage


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
