"""The issuer's published keys, at the addresses did:web and JWKS clients expect. Anyone may
fetch them, browsers included (CORS)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from certificates.credentials.documents import did_document, jwks

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
