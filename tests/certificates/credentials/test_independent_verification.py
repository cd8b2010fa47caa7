"""Both proofs of a served credential, and its status bit, checked by implementations that share
no code with the platform's signer: jwcrypto (VC-JWT, against /.well-known/jwks.json) and Digital
Bazaar's eddsa-rdfc-2022 cryptosuite under node (Data Integrity, against /.well-known/did.json)."""

import base64
import json

import pytest
from jwcrypto import jwk, jws
from jwcrypto import jwt as jwcrypto_jwt

from certificates.credentials import bitstring
from certificates.issuance.services import certificate_revoke


def served(client, certificate):
    credential = json.loads(client.get(f"/verificar/{certificate.code}/insignia.json").content)
    token = client.get(f"/verificar/{certificate.code}/insignia.jwt").content.decode()
    return credential, token


def jwt_claims(token: str, jwks: dict) -> dict:
    """Verify with jwcrypto, with the published key that the header's kid names."""
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    key = jwk.JWKSet.from_json(json.dumps(jwks)).get_key(header["kid"])
    assert key is not None, "the kid is not published"
    verified = jwcrypto_jwt.JWT(jwt=token, key=key, algs=["EdDSA"], expected_type="JWS")
    return json.loads(verified.claims)


def one_character_changed(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    tampered = claims.replace("Curso", "Cursa", 1)
    assert len(tampered) == len(claims) and tampered != claims
    encoded = base64.urlsafe_b64encode(tampered.encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def test_the_jwt_verifies_against_the_published_jwks_and_carries_the_claims(client, issued):
    certificate = issued["certificates"][0]
    credential, token = served(client, certificate)
    jwks = client.get("/.well-known/jwks.json").json()
    claims = jwt_claims(token, jwks)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    assert (
        claims["iss"]
        == credential["issuer"]["id"]
        == client.get("/.well-known/did.json").json()["id"]
    )
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(certificate.created_at.timestamp())
    assert claims["credentialSubject"] == credential["credentialSubject"]


def test_one_changed_character_breaks_the_jwt(client, issued):
    _credential, token = served(client, issued["certificates"][0])
    jwks = client.get("/.well-known/jwks.json").json()
    with pytest.raises(jws.InvalidJWSSignature):
        jwt_claims(one_character_changed(token), jwks)


def test_the_json_proof_verifies_with_digital_bazaars_cryptosuite(client, issued, node_verify):
    credential, _token = served(client, issued["certificates"][0])
    did = client.get("/.well-known/did.json").json()
    assert node_verify(credential, did) == (True, None)

    credential["name"] = credential["name"].replace("Curso", "Cursa", 1)
    verified, error = node_verify(credential, did)
    assert not verified and "signature" in error.lower()


def test_revocation_flips_the_bit_in_a_signed_status_list(client, issued, node_verify):
    certificate = issued["certificates"][0]
    credential, _token = served(client, certificate)
    entry = credential["credentialStatus"]
    did = client.get("/.well-known/did.json").json()

    def bit() -> bool:
        status_list = json.loads(client.get(entry["statusListCredential"]).content)
        assert node_verify(status_list, did) == (True, None)
        assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
        return bitstring.is_set(
            status_list["credentialSubject"]["encodedList"], int(entry["statusListIndex"])
        )

    assert entry["type"] == "BitstringStatusListEntry"
    assert bit() is False
    certificate_revoke(actor=issued["trainer"], certificate=certificate, reason="Duplicado")
    assert bit() is True
