"""Open Badges 3.0 as served by the public verification pages.

Each certificate's credential is signed once and frozen by :mod:`certificates.credentials`; the
badge endpoints hand out those texts. ``revocation_list`` is the older 1EdTech list, kept for
unsigned badges downloaded before credentials were signed, whose ``credentialStatus`` names it;
current credentials carry a Bitstring Status List entry instead.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from certificates.credentials.services import portable_credential_of
from certificates.models import Certificate


def _url(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.BASE_URL + reverse(name, args=args)


def badge_json(certificate: Certificate) -> str:
    """The signed OpenBadgeCredential (with its Data Integrity proof), exactly as stored."""
    return portable_credential_of(certificate).signed_json


def badge_jwt(certificate: Certificate) -> str:
    """The same credential as a VC-JWT."""
    return portable_credential_of(certificate).signed_jwt


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
