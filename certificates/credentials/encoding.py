"""Multibase and Multikey encodings used by Data Integrity proofs and DID documents."""

from __future__ import annotations

import base64

import base58

# Multicodec prefix of an Ed25519 public key (varint of 0xed).
ED25519_PUB_PREFIX = b"\xed\x01"


def multibase_base58btc(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def from_multibase_base58btc(value: str) -> bytes:
    if not value.startswith("z"):
        raise ValueError("not a base58btc multibase value (prefix 'z')")
    return base58.b58decode(value[1:])


def base64url(data: bytes) -> str:
    """Unpadded base64url (RFC 4648 §5), as JOSE and multibase 'u' use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_base64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def multibase_base64url(data: bytes) -> str:
    return "u" + base64url(data)


def from_multibase_base64url(value: str) -> bytes:
    if not value.startswith("u"):
        raise ValueError("not a base64url multibase value (prefix 'u')")
    return from_base64url(value[1:])


def ed25519_multikey(raw_public_key: bytes) -> str:
    """``publicKeyMultibase`` of an Ed25519 key: base58btc of the multicodec-prefixed key."""
    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return multibase_base58btc(ED25519_PUB_PREFIX + raw_public_key)


def ed25519_from_multikey(value: str) -> bytes:
    data = from_multibase_base58btc(value)
    if not data.startswith(ED25519_PUB_PREFIX) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return data[2:]
