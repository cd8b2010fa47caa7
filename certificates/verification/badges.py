"""Open Badges 3.0: each certificate as an (unsigned) OpenBadgeCredential."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from certificates.models import Certificate
from certificates.verification.services import verification_url

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _url(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.BASE_URL + reverse(name, args=args)


def open_badge_credential(certificate: Certificate) -> dict:
    """The certificate as an OpenBadgeCredential. The credential status points at the
    platform's revocation list, so a verifier learns about a revocation."""
    issued_at = certificate.created_at.replace(microsecond=0).isoformat()
    achievement_id = _url("certificates:achievement", certificate.course_code)
    credential = {
        "@context": CONTEXT,
        "id": _url("certificates:badge", certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {
            "id": settings.BASE_URL + "/",
            "type": ["Profile"],
            "name": certificate.issuer,
            "url": settings.BASE_URL + "/",
        },
        "validFrom": issued_at,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.full_name,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Course",
                "humanCode": certificate.course_code,
                "name": certificate.course_title,
                "version": certificate.curriculum_version,
                "description": (
                    f"{certificate.course_title}: curso acreditado por "
                    f"{certificate.accrediting_institution}, {certificate.credit_hours} horas "
                    "académicas."
                ),
                "criteria": {
                    "narrative": (
                        "Asistencia al porcentaje mínimo de todas las sesiones programadas del "
                        "grupo y cumplimiento de las demás reglas de aprobación del curso."
                    )
                },
                "creditsAvailable": float(certificate.credit_hours),
                "creator": {
                    "id": settings.BASE_URL + "/",
                    "type": ["Profile"],
                    "name": certificate.accrediting_institution,
                },
            },
        },
        "credentialStatus": {
            "id": _url("certificates:revocation_list"),
            "type": "1EdTechRevocationList",
        },
        "evidence": [
            {
                "id": verification_url(certificate.code),
                "type": ["Evidence"],
                "name": "Verificación pública",
            }
        ],
    }
    if not certificate.is_valid:
        credential["validUntil"] = certificate.revoked_at.replace(microsecond=0).isoformat()
    return credential


def revocation_list() -> dict:
    """The 1EdTech revocation list: the ids of revoked credentials. The reason stays
    internal: it may speak of a person."""
    revoked = Certificate.objects.filter(status=Certificate.Status.REVOKED).order_by("revoked_at")
    return {
        "id": _url("certificates:revocation_list"),
        "revokedCredential": [
            {"id": _url("certificates:badge", c.code), "revokedAt": c.revoked_at.isoformat()}
            for c in revoked
        ],
    }
