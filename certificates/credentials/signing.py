"""Which key signs: the active :class:`SigningKey` row and its private half from the keyring,
and the ``create | rotate | list`` operations of ``manage.py credentials_keys``.

Every key ever registered stays published (DID document and JWKS), so rotation never breaks a
credential signed before it. In development (``CREDENTIALS_GENERATE_DEV_KEY``) the first
signature generates a key into the git-ignored keyring file, with a warning; production has no
such fallback and refuses to sign without a configured key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc.jwk import OKPKey

from certificates.credentials.encoding import from_base64url
from certificates.credentials.jwt import jose_key
from certificates.credentials.keys import (
    Keyring,
    PublicKey,
    generate_private_key,
    public_key_of,
)
from certificates.credentials.models import SigningKey

logger = logging.getLogger(__name__)


class KeyManagementError(Exception):
    """A key operation that cannot be done as asked; the message says what to do instead."""


def keyring() -> Keyring:
    path = settings.CREDENTIALS_KEY_FILE
    return Keyring(path=Path(path) if path else None, env_name=settings.CREDENTIALS_KEY_ENV)


def issuer_did() -> str:
    """``did:web`` of the platform, from ``BASE_URL`` (a port is written ``%3A``)."""
    host = urlsplit(settings.BASE_URL).netloc
    return "did:web:" + quote(host, safe="")


def verification_method_id(kid: str) -> str:
    return f"{issuer_did()}#{kid}"


def published_key(row: SigningKey) -> PublicKey:
    return PublicKey(kid=row.kid, raw=from_base64url(row.public_key))


@dataclass(frozen=True)
class ActiveKey:
    row: SigningKey
    private_key: Ed25519PrivateKey
    jose: OKPKey

    @property
    def verification_method(self) -> str:
        return verification_method_id(self.row.kid)


def active_signing_key() -> ActiveKey:
    """The key that signs new credentials, with its private half (one query)."""
    row = SigningKey.objects.filter(active=True).first()
    if row is None:
        if not settings.CREDENTIALS_GENERATE_DEV_KEY:
            raise ImproperlyConfigured(
                "No credential signing key: run `manage.py credentials_keys create`."
            )
        row = _development_key()
    ring = keyring()
    private_key = ring.read().get(row.kid)
    if private_key is None:
        raise ImproperlyConfigured(
            f"The private key of signing key {row.kid} is not in the keyring ({ring.description})."
        )
    return ActiveKey(row=row, private_key=private_key, jose=jose_key(private_key))


def _development_key() -> SigningKey:
    ring = keyring()
    logger.warning(
        "No credential signing key: using a DEVELOPMENT key from the %s (generated if absent). "
        "Never use it in production, where keys are read from CREDENTIALS_KEY_FILE or the "
        "environment variable %s.",
        ring.description,
        settings.CREDENTIALS_KEY_ENV,
    )
    try:
        return signing_key_create()
    except (IntegrityError, KeyManagementError):
        # Another process registered one at the same moment.
        return SigningKey.objects.get(active=True)


def _new_private_key() -> Ed25519PrivateKey:
    """A key the operator put in the keyring and that is not registered yet, or a new one
    written to the keyring file."""
    ring = keyring()
    known = set(SigningKey.objects.values_list("kid", flat=True))
    waiting = [key for kid, key in ring.read().items() if kid not in known]
    if waiting:
        return waiting[0]
    if not ring.writable:
        raise KeyManagementError(
            f"The keyring is the {ring.description}: add a new key to it first "
            "(openssl genpkey -algorithm ed25519), then run this command again."
        )
    key = generate_private_key()
    ring.add(key)
    return key


def _register(private_key: Ed25519PrivateKey) -> SigningKey:
    public = public_key_of(private_key)
    return SigningKey.objects.create(kid=public.kid, public_key=public.x)


@transaction.atomic
def signing_key_create() -> SigningKey:
    """Register the first signing key (refused while an active one exists)."""
    if SigningKey.objects.select_for_update().filter(active=True).exists():
        raise KeyManagementError("An active signing key exists already: use `rotate`.")
    return _register(_new_private_key())


@transaction.atomic
def signing_key_rotate() -> tuple[SigningKey, SigningKey]:
    """Retire the active key (it stays published) and activate a new one. Returns both."""
    current = SigningKey.objects.select_for_update().filter(active=True).first()
    if current is None:
        raise KeyManagementError("There is no active signing key yet: use `create`.")
    new_private_key = _new_private_key()
    current.active = False
    current.retired_at = timezone.now()
    current.save(update_fields=["active", "retired_at"])
    return current, _register(new_private_key)


@dataclass(frozen=True)
class KeyListing:
    key: SigningKey
    verification_method: str
    private_key_available: bool


def signing_keys() -> list[KeyListing]:
    """Every registered key, oldest first, and whether its private half is in the keyring."""
    available = set(keyring().read())
    return [
        KeyListing(
            key=row,
            verification_method=verification_method_id(row.kid),
            private_key_available=row.kid in available,
        )
        for row in SigningKey.objects.order_by("created_at", "pk")
    ]
