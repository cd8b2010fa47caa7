"""The published issuer documents: the did:web DID document and the JWKS.

Both list every registered key, the retired ones too, so that credentials signed before a
rotation keep verifying. One query each; no private key is ever read here."""

from __future__ import annotations

from typing import Any

from certificates.credentials.contexts import DID_V1, MULTIKEY_V1
from certificates.credentials.jwt import ALGORITHM
from certificates.credentials.models import SigningKey
from certificates.credentials.signing import issuer_did, published_key, verification_method_id


def _keys() -> list[SigningKey]:
    return list(SigningKey.objects.order_by("created_at", "pk"))


def did_document() -> dict[str, Any]:
    """``/.well-known/did.json``: each key as a ``Multikey`` verification method, authorised
    for ``assertionMethod`` (issuing credentials)."""
    did = issuer_did()
    methods = [
        {
            "id": verification_method_id(row.kid),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": published_key(row).multikey,
        }
        for row in _keys()
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwks() -> dict[str, Any]:
    """``/.well-known/jwks.json``: the same keys as JWKs, ``kid`` being the DID URL that VC-JWT
    headers name."""
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": published_key(row).x,
                "kid": verification_method_id(row.kid),
                "alg": ALGORITHM,
                "use": "sig",
            }
            for row in _keys()
        ]
    }
