"""Public verification, no login: the page of a code, the Open Badges credential, the list of
revoked credentials and the achievement (course) a badge points at."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from certificates.credentials.status_list import status_list_json
from certificates.credentials.verification import credential_facts
from certificates.models import Certificate
from certificates.verification.badges import badge_json, badge_jwt, revocation_list
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
    certificate = lookup.certificate
    return TemplateResponse(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "credential": credential_facts(certificate) if certificate else None,
            "code": code,
        },
        status=200 if certificate else 404,
    )


def _public(response: HttpResponse, filename: str) -> HttpResponse:
    """Wallets and verifiers fetch badges from other origins; revocation travels in the status
    list, so the badge itself never changes (except a re-issue with the name withheld)."""
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def badge(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate, code=code)
    return _public(
        HttpResponse(badge_json(certificate), content_type="application/json"),
        f"insignia-{certificate.code}.json",
    )


@require_safe
def badge_token(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate, code=code)
    return _public(
        HttpResponse(badge_jwt(certificate), content_type="application/jwt"),
        f"insignia-{certificate.code}.jwt",
    )


@require_safe
def status_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """A signed Bitstring Status List. Revocation must be seen at once: caches may keep a copy
    but must ask again every time."""
    document = status_list_json(list_id)
    if document is None:
        raise Http404
    response = HttpResponse(document, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
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
