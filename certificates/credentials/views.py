"""Public, language-independent credential documents: the issuer's keys, the signed status
lists and each certificate's VC-JWT. Anyone may fetch them, browsers included (CORS)."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from certificates.credentials.documents import did_document, jwks
from certificates.credentials.services import portable_credential_of
from certificates.credentials.status_list import status_list_json
from certificates.models import Certificate

# Keys change only on rotation: let verifiers keep them a few minutes.
KEYS_MAX_AGE = 300


def _public(response: HttpResponse, *, cache_control: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = cache_control
    return response


@require_safe
def did_json(request: HttpRequest) -> HttpResponse:
    return _public(
        JsonResponse(did_document(), json_dumps_params={"indent": 2}),
        cache_control=f"public, max-age={KEYS_MAX_AGE}",
    )


@require_safe
def jwks_json(request: HttpRequest) -> HttpResponse:
    return _public(
        JsonResponse(jwks(), json_dumps_params={"indent": 2}),
        cache_control=f"public, max-age={KEYS_MAX_AGE}",
    )


@require_safe
def status_list(request: HttpRequest, list_id: int) -> HttpResponse:
    document = status_list_json(list_id)
    if document is None:
        raise Http404
    # Revocation must be seen at once: caches may keep a copy but must ask again each time.
    return _public(
        HttpResponse(document, content_type="application/json"), cache_control="no-cache"
    )


@require_safe
def badge_jwt(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate, code=code)
    response = HttpResponse(
        portable_credential_of(certificate).signed_jwt, content_type="application/jwt"
    )
    response["Content-Disposition"] = f'attachment; filename="insignia-{certificate.code}.jwt"'
    return _public(response, cache_control="no-cache")
