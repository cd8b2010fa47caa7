"""Checking a stored credential against the published key, for the verification page.

The same key rows build ``did.json`` and ``jwks.json``; a credential whose stored text no longer
matches its signature (edited in the database, say) is reported as not verifying."""

from __future__ import annotations

import json
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from certificates.credentials import bitstring
from certificates.credentials.credential import status_list_url
from certificates.credentials.data_integrity import verify_proof
from certificates.credentials.jwt import ALGORITHM
from certificates.credentials.models import PortableCredential
from certificates.credentials.services import portable_credential_of
from certificates.credentials.signing import published_key, verification_method_id
from certificates.credentials.status_list import status_list_json


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


@dataclass(frozen=True)
class CredentialFacts:
    """What the public verification page says about a certificate's portable credential."""

    portable: PortableCredential
    signature: SignatureCheck
    status_list_url: str
    revoked_bit: bool

    @property
    def name_withheld(self) -> bool:
        return self.portable.name_withheld


def credential_facts(certificate) -> CredentialFacts:
    """Check the stored proofs and read the certificate's bit from the signed status list that
    verifiers download (a constant number of queries)."""
    portable = portable_credential_of(certificate)
    document = status_list_json(portable.status_list_id)
    encoded = json.loads(document)["credentialSubject"]["encodedList"]
    return CredentialFacts(
        portable=portable,
        signature=signature_check(portable),
        status_list_url=status_list_url(portable.status_list_id),
        revoked_bit=bitstring.is_set(encoded, portable.status_index),
    )
