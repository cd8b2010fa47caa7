"""VC-JWT, the JSON Web Token proof format of Open Badges 3.0 (§8.2). No Django.

The JOSE header carries ``alg`` (``EdDSA``), ``kid`` (the DID URL of the key, which the
published DID document and JWKS both resolve) and ``typ: JWT``. The payload is the credential
itself with the registered claims beside it: ``iss`` (issuer id), ``jti`` (credential id),
``nbf`` (``validFrom``), ``sub`` (``credentialSubject.id``).
"""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey

from certificates.credentials.keys import private_pem

ALGORITHM = "EdDSA"

# RFC 9864 prefers the fully specified name "Ed25519", but Open Badges 3.0 verifiers and wallets
# know "EdDSA" (with an Ed25519 key, the two mean the same signature).
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)


def vc_jwt(
    credential: dict[str, Any],
    *,
    key: OKPKey,
    kid: str,
    valid_from: datetime,
) -> str:
    """The credential (without any embedded proof) as a compact, signed VC-JWT."""
    claims = {k: v for k, v in credential.items() if k != "proof"}
    claims.update(
        iss=credential["issuer"]["id"],
        jti=credential["id"],
        nbf=int(valid_from.timestamp()),
        sub=credential["credentialSubject"]["id"],
    )
    header = {"alg": ALGORITHM, "kid": kid, "typ": "JWT"}
    return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def jose_key(private_key: Ed25519PrivateKey) -> OKPKey:
    """The key in joserfc's form (convert once per key, not per token)."""
    return OKPKey.import_key(private_pem(private_key))
