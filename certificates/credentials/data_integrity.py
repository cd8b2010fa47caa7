"""Embedded Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite. No Django.

The recipe of W3C *Data Integrity EdDSA Cryptosuites v1.0* (§3.2):

1. proof options = the proof without ``proofValue``, with the document's ``@context``;
2. canonicalise the document (without ``proof``) and the proof options with RDF Dataset
   Canonicalization (RDFC-1.0, pyld's ``URDNA2015``, which gives the same N-Quads);
3. hash each with SHA-256; sign ``hash(proof options) || hash(document)`` with Ed25519;
4. ``proofValue`` is the signature in multibase base58btc.

Contexts come from :mod:`certificates.credentials.contexts` only, and canonicalisation is
strict, like the *safe mode* of other processors: a term missing from the contexts raises instead
of being silently left out of what the signature covers. pyld keeps processed contexts in a
per-process cache, so each context is expanded once per process.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

from certificates.credentials.contexts import document_loader
from certificates.credentials.encoding import from_multibase_base58btc, multibase_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PURPOSE = "assertionMethod"

_OPTIONS = {
    "algorithm": "URDNA2015",
    "format": "application/n-quads",
    "documentLoader": document_loader,
}


# An IRI term of N-Quads that is absolute (has a scheme).
_IRI = re.compile(r"<([^>]*)>")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class CanonicalisationError(ValueError):
    """The document uses a term its contexts do not define."""


def _refuse_dropped(expanded_property: str) -> None:
    raise CanonicalisationError(f"property {expanded_property!r} is not defined by the contexts")


def canonical_nquads(document: dict[str, Any]) -> str:
    """The document as canonical N-Quads (RDFC-1.0). Refuses what JSON-LD would silently leave
    out of the signature: a property no context defines, and a relative IRI (an undefined
    ``type`` value, which pyld resolves against a placeholder base)."""
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    nquads = processor.normalize(document, dict(_OPTIONS))
    relative = [
        iri
        for iri in _IRI.findall(nquads)
        if not _ABSOLUTE.match(iri) or iri.startswith(jsonld.DEFAULT_BASE_IRI)
    ]
    if relative:
        raise CanonicalisationError(f"relative IRIs, undefined in the contexts: {relative}")
    return nquads


def utc_timestamp(moment: datetime) -> str:
    """``2026-03-01T15:04:05Z``: an XML Schema dateTime in UTC without fractions."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    options["@context"] = document["@context"]
    return (
        hashlib.sha256(canonical_nquads(options).encode("utf-8")).digest()
        + hashlib.sha256(canonical_nquads(unsecured).encode("utf-8")).digest()
    )


def add_proof(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """A copy of ``document`` with one ``eddsa-rdfc-2022`` proof in ``proof`` (a list)."""
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": utc_timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": PURPOSE,
    }
    signature = private_key.sign(_hash_data(document, proof))
    secured = copy.deepcopy({k: v for k, v in document.items() if k != "proof"})
    secured["proof"] = [{**proof, "proofValue": multibase_base58btc(signature)}]
    return secured


def proofs_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def verify_proof(
    document: dict[str, Any], *, public_key: Ed25519PublicKey, verification_method: str
) -> bool:
    """True when ``document`` carries an ``eddsa-rdfc-2022`` proof by ``verification_method``
    that ``public_key`` verifies. Any change to a signed statement makes it False."""
    for proof in proofs_of(document):
        if (
            proof.get("type") != PROOF_TYPE
            or proof.get("cryptosuite") != CRYPTOSUITE
            or proof.get("verificationMethod") != verification_method
            or proof.get("proofPurpose") != PURPOSE
        ):
            continue
        try:
            signature = from_multibase_base58btc(proof.get("proofValue", ""))
            public_key.verify(signature, _hash_data(document, proof))
        except (InvalidSignature, ValueError):
            return False
        return True
    return False
