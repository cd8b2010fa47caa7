"""Checking a stored credential against the published key, for the verification page.

The same key rows build ``did.json`` and ``jwks.json``; a credential whose stored text no longer
matches its signature (edited in the database, say) is reported as not verifying."""

from __future__ import annotations

import json
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from certificates.credentials.data_integrity import verify_proof
from certificates.credentials.jwt import ALGORITHM
from certificates.credentials.models import PortableCredential
from certificates.credentials.signing import published_key, verification_method_id


@dataclass(frozen=True)
class SignatureCheck:
    verification_method: str
    data_integrity: bool
    jwt: bool

    @property
    def ok(self) -> bool:
        return self.data_integrity and self.jwt


def signature_check(portable: PortableCredential) -> SignatureCheck:
    """Verify both stored proofs with the published key that signed them."""
    row = portable.signing_key
    public = published_key(row)
    method = verification_method_id(row.kid)
    try:
        data_integrity = verify_proof(
            json.loads(portable.signed_json),
            public_key=public.cryptography_key(),
            verification_method=method,
        )
    except (ValueError, KeyError):
        data_integrity = False
    key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": public.x})
    try:
        token = jwt.decode(portable.signed_jwt, key, algorithms=[ALGORITHM])
        signed_jwt = token.header.get("kid") == method
    except (JoseError, ValueError):
        signed_jwt = False
    return SignatureCheck(verification_method=method, data_integrity=data_integrity, jwt=signed_jwt)
