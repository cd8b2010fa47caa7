from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates.credentials.contexts import CREDENTIALS_V2
from certificates.credentials.data_integrity import (
    CanonicalisationError,
    add_proof,
    verify_proof,
)

METHOD = "did:web:example.org#key-1"


def credential(**extra) -> dict:
    return {
        "@context": [CREDENTIALS_V2],
        "id": "https://example.org/credentials/1",
        "type": ["VerifiableCredential"],
        "issuer": "did:web:example.org",
        "validFrom": "2026-03-01T10:00:00Z",
        "credentialSubject": {"id": "urn:uuid:0b0f0c6e-5a43-4a7e-9a5e-1f3c4e2d1a00", "name": "Ñ"},
        **extra,
    }


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def sign(document, key):
    return add_proof(
        document,
        private_key=key,
        verification_method=METHOD,
        created=datetime(2026, 3, 1, tzinfo=UTC),
    )


def test_a_signed_document_verifies_and_names_its_cryptosuite(key):
    signed = sign(credential(), key)
    (proof,) = signed["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["created"] == "2026-03-01T00:00:00Z" and proof["proofValue"].startswith("z")
    assert verify_proof(signed, public_key=key.public_key(), verification_method=METHOD)


def test_key_order_and_whitespace_do_not_matter_but_one_character_does(key):
    signed = sign(credential(), key)
    reordered = dict(reversed(list(signed.items())))
    assert verify_proof(reordered, public_key=key.public_key(), verification_method=METHOD)
    signed["credentialSubject"]["name"] = "N"
    assert not verify_proof(signed, public_key=key.public_key(), verification_method=METHOD)


def test_another_key_or_method_does_not_verify(key):
    signed = sign(credential(), key)
    other = Ed25519PrivateKey.generate().public_key()
    assert not verify_proof(signed, public_key=other, verification_method=METHOD)
    assert not verify_proof(
        signed, public_key=key.public_key(), verification_method="did:web:example.org#other"
    )


def test_a_type_the_contexts_do_not_define_is_refused_not_signed_as_a_relative_iri(key):
    document = credential(credentialSchema=[{"id": "https://example.org/s", "type": "Nope2019"}])
    with pytest.raises(CanonicalisationError, match="Nope2019"):
        sign(document, key)


def test_a_property_the_contexts_do_not_define_is_refused_not_left_unsigned(key):
    with pytest.raises(CanonicalisationError, match="nickname"):
        sign(credential(nickname="Yoli"), key)
