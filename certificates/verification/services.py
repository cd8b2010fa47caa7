"""Public verification: look a certificate up by its code, log the visit, limit guessing.

Lookups are logged with a keyed hash of the client address (never the address itself). The
limit is on *unknown* codes: a client that asked for more than ``UNKNOWN_LOOKUPS_PER_WINDOW``
codes that do not exist within ``LOOKUP_WINDOW`` is answered 429 for further unknown codes
until the window has passed, while a real code is always answered: guessing is stopped, and an
employer checking a stack of certificates, or everybody behind one proxy, is never blocked.
Every verification address uses it (the page, the badge as JSON and as VC-JWT, the status
lists, the achievement).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate, VerificationLookup
from lms.client_address import client_hash

LOOKUP_WINDOW = timedelta(minutes=10)
UNKNOWN_LOOKUPS_PER_WINDOW = 30
_PLAUSIBLE = re.compile(r"[A-Z0-9-]{1,40}")


def verification_path(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("certificates:verify", args=[code])


def verification_url(code: str) -> str:
    return settings.BASE_URL + verification_path(code)


def normalise_code(code: str) -> str | None:
    """A code as certificates print it (capitals, dashes, no spaces), or None when it cannot be
    one (any other character): then nothing is looked up."""
    text = "".join(code.split()).upper()
    return text if _PLAUSIBLE.fullmatch(text) else None


@dataclass(frozen=True)
class Lookup:
    certificate: Certificate | None
    retry_after: int | None = None  # seconds, when this client has guessed too much

    @property
    def limited(self) -> bool:
        return self.retry_after is not None


def unknown_lookups_wait(digest: str) -> int | None:
    """Seconds this client must wait before another unknown code is looked up, if any."""
    since = timezone.now() - LOOKUP_WINDOW
    recent = VerificationLookup.objects.filter(
        client_hash=digest, certificate__isnull=True, at__gte=since
    ).aggregate(count=Count("pk"), first=Min("at"))
    if recent["count"] < UNKNOWN_LOOKUPS_PER_WINDOW:
        return None
    ends = recent["first"] + LOOKUP_WINDOW
    return max(1, int((ends - timezone.now()).total_seconds() + 0.999))


def lookup_found(*, found: Certificate | None, tried: str, client_address: str) -> Lookup:
    """Log a lookup whose answer is known (`found` or None); an unknown one is refused, and not
    logged, once the client has guessed too much."""
    digest = client_hash(client_address or "unknown")
    if found is None:
        waiting = unknown_lookups_wait(digest)
        if waiting is not None:
            return Lookup(certificate=None, retry_after=waiting)
    VerificationLookup.objects.create(code_tried=tried[:40], certificate=found, client_hash=digest)
    return Lookup(certificate=found)


def verification_lookup(*, code: str, client_address: str) -> Lookup:
    """Find a certificate by code, log the visit and limit unknown codes per client."""
    normalised = normalise_code(code)
    certificate = (
        Certificate.objects.select_related("superseded_by").filter(code=normalised).first()
        if normalised
        else None
    )
    return lookup_found(found=certificate, tried=normalised or "?", client_address=client_address)
