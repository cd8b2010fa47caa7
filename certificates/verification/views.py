"""Public verification, no login: the page of a code, the Open Badges credential (JSON and
VC-JWT), the status lists, the older list of revoked credentials and the achievement (course)
a badge points at. Every address that takes a code counts unknown codes per client
(:mod:`certificates.verification.services`) and answers 429 with Retry-After to a client that
guessed too much; a real code is always answered."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from certificates.credentials.status_list import status_list_json
from certificates.credentials.verification import credential_facts
from certificates.models import Certificate
from certificates.verification.badges import badge_json, badge_jwt, revocation_list
from certificates.verification.services import (
    Lookup,
    lookup_found,
    normalise_code,
    verification_lookup,
)
from courses.models import CoursePage
from lms.client_address import client_address


def _too_many(request: HttpRequest, lookup: Lookup, *, page: bool) -> HttpResponse:
    if page:
        response = TemplateResponse(
            request,
            "certificates/verify_limited.html",
            {"minutes": max(1, round(lookup.retry_after / 60))},
            status=429,
        )
    else:
        response = JsonResponse({"error": "too_many_unknown_codes"}, status=429)
    response["Retry-After"] = str(lookup.retry_after)
    return response


def _not_found() -> HttpResponse:
    return JsonResponse({"error": "not_found"}, status=404)


def _certificate(request: HttpRequest, code: str) -> Lookup:
    return verification_lookup(code=code, client_address=client_address(request))


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("codigo", "").strip()
    if typed:
        code = normalise_code(typed)
        if code is not None:
            return redirect("certificates:verify", code=code)
        return TemplateResponse(
            request, "certificates/verify_form.html", {"typed": typed, "invalid": True}, status=400
        )
    return TemplateResponse(request, "certificates/verify_form.html", {})


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    lookup = _certificate(request, code)
    if lookup.limited:
        return _too_many(request, lookup, page=True)
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
    lookup = _certificate(request, code)
    if lookup.limited:
        return _too_many(request, lookup, page=False)
    if lookup.certificate is None:
        return _not_found()
    certificate: Certificate = lookup.certificate
    return _public(
        HttpResponse(badge_json(certificate), content_type="application/json"),
        f"insignia-{certificate.code}.json",
    )


@require_safe
def badge_token(request: HttpRequest, code: str) -> HttpResponse:
    lookup = _certificate(request, code)
    if lookup.limited:
        return _too_many(request, lookup, page=False)
    if lookup.certificate is None:
        return _not_found()
    certificate: Certificate = lookup.certificate
    return _public(
        HttpResponse(badge_jwt(certificate), content_type="application/jwt"),
        f"insignia-{certificate.code}.jwt",
    )


@require_safe
def status_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """A signed Bitstring Status List. Revocation must be seen at once: caches may keep a copy
    but must ask again every time. Verifiers fetch the real lists often: only an unknown one is
    logged and counted."""
    document = status_list_json(list_id)
    if document is None:
        lookup = lookup_found(
            found=None, tried=f"estado:{list_id}", client_address=client_address(request)
        )
        if lookup.limited:
            return _too_many(request, lookup, page=False)
        return _not_found()
    response = HttpResponse(document, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def revocation_list_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(revocation_list(), json_dumps_params={"ensure_ascii": False})


@require_safe
def achievement(request: HttpRequest, course_code: str) -> HttpResponse:
    course = CoursePage.objects.live().filter(code=course_code[:40]).first()
    if course is None:
        lookup = lookup_found(
            found=None, tried=f"curso:{course_code}", client_address=client_address(request)
        )
        if lookup.limited:
            return _too_many(request, lookup, page=False)
        return _not_found()
    return redirect(course.url)
