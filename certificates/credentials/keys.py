"""The organisation's Ed25519 signing keys: the private halves, read from a keyring. No Django.

A keyring is a text of PKCS#8 PEM blocks (``-----BEGIN PRIVATE KEY-----``), one per key, as
``openssl genpkey -algorithm ed25519`` writes them. It is read from the file named by the
``CREDENTIALS_KEY_FILE`` setting or, when that is empty, from the environment variable named by
``CREDENTIALS_KEY_ENV``: never from the database or the repository. Each key is known by its
``kid``, the RFC 7638 JWK thumbprint of its public half, so a keyring needs no other metadata and
the same key always has the same name.
"""

from __future__ import annotations

import fcntl
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from joserfc.jwk import OKPKey

from certificates.credentials.encoding import base64url, ed25519_multikey

_PEM_BLOCK = re.compile(
    rb"-----BEGIN PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]+?-----END PRIVATE KEY-----", re.S
)


class KeyringError(Exception):
    """The keyring cannot be read, holds something other than Ed25519 keys, or is absent."""


@dataclass(frozen=True)
class PublicKey:
    """What is published about a key: its name, raw bytes and encodings."""

    kid: str
    raw: bytes

    @property
    def multikey(self) -> str:
        return ed25519_multikey(self.raw)

    @property
    def x(self) -> str:
        return base64url(self.raw)

    def cryptography_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.raw)


def public_key_of(private_key: Ed25519PrivateKey) -> PublicKey:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return PublicKey(kid=thumbprint(raw), raw=raw)


def thumbprint(raw_public_key: bytes) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url) of the key's JWK."""
    jwk = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": base64url(raw_public_key)})
    return jwk.thumbprint()


def private_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def parse_keyring(text: bytes) -> dict[str, Ed25519PrivateKey]:
    """``kid -> private key`` for every PEM block of ``text``."""
    keys: dict[str, Ed25519PrivateKey] = {}
    for block in _PEM_BLOCK.findall(text):
        try:
            key = serialization.load_pem_private_key(block, password=None)
        except ValueError as error:
            raise KeyringError(f"a block of the keyring is not a private key: {error}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyringError("the keyring holds a key that is not Ed25519")
        keys[public_key_of(key).kid] = key
    return keys


@dataclass(frozen=True)
class Keyring:
    """Where the private keys live: a file (writable) or an environment variable (read-only)."""

    path: Path | None
    env_name: str

    @property
    def description(self) -> str:
        if self.path is not None:
            return f"file {self.path}"
        return f"environment variable {self.env_name}"

    @property
    def writable(self) -> bool:
        return self.path is not None

    def read(self) -> dict[str, Ed25519PrivateKey]:
        if self.path is not None:
            if not self.path.exists():
                return {}
            return parse_keyring(self.path.read_bytes())
        return parse_keyring(os.environ.get(self.env_name, "").encode("ascii", "replace"))

    def add(self, private_key: Ed25519PrivateKey) -> None:
        """Append a key to the keyring file, created with owner-only permissions."""
        if self.path is None:
            raise KeyringError(f"the keyring is the {self.description}: add the key there yourself")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # two processes creating at once append in turn
            handle.write(private_pem(private_key))
            handle.flush()
            os.fsync(handle.fileno())


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()
