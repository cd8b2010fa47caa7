"""Public verification: look a certificate up by its code, log the visit, limit each client.

Lookups are logged with a keyed hash of the client address (never the address itself),
enough to rate-limit and to spot abuse.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate, VerificationLookup

LOOKUP_WINDOW = timedelta(minutes=10)
LOOKUPS_PER_WINDOW = 30


def verification_path(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("certificates:verify", args=[code])


def verification_url(code: str) -> str:
    return settings.BASE_URL + verification_path(code)


@dataclass(frozen=True)
class Lookup:
    certificate: Certificate | None
    limited: bool


def client_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def verification_lookup(*, code: str, client_address: str) -> Lookup:
    """Find a certificate by code, log the visit and rate-limit per client address."""
    digest = client_hash(client_address or "unknown")
    since = timezone.now() - LOOKUP_WINDOW
    if VerificationLookup.objects.filter(client_hash=digest, at__gte=since).count() >= (
        LOOKUPS_PER_WINDOW
    ):
        return Lookup(certificate=None, limited=True)
    normalised = code.strip().upper().replace(" ", "")[:40]
    certificate = Certificate.objects.filter(code=normalised).first()
    VerificationLookup.objects.create(
        code_tried=normalised, certificate=certificate, client_hash=digest
    )
    return Lookup(certificate=certificate, limited=False)
