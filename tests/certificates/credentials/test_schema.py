"""Conformance with 1EdTech's JSON Schema for Open Badges 3.0 achievement credentials (kept in
data/, see data/SOURCES.md): the JSON served, the JWT payload and a re-issued credential."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from certificates.credentials.credential import OB_SCHEMA
from certificates.credentials.services import portable_credential_withhold_name

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "ob_v3p0_achievementcredential_schema.json"
SCHEMA_SHA256 = "86a141ff0c1b1a6b4e08460f786a8ffe0f737d8256a86243d134a2e6450efe4d"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def errors(validator, document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def jwt_payload(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_the_schema_is_the_recorded_copy():
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_the_served_json_and_the_jwt_payload_conform(client, issued, validator):
    certificate = issued["certificates"][0]
    credential = json.loads(client.get(f"/verificar/{certificate.code}/insignia.json").content)
    token = client.get(f"/verificar/{certificate.code}/insignia.jwt").content.decode()
    assert errors(validator, credential) == []
    assert errors(validator, jwt_payload(token)) == []
    assert credential["credentialSchema"] == [
        {"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    ]


def test_a_credential_with_the_name_withheld_conforms(issued, validator):
    portable = portable_credential_withhold_name(actor=None, certificate=issued["certificates"][0])
    assert errors(validator, json.loads(portable.signed_json)) == []
    assert errors(validator, jwt_payload(portable.signed_jwt)) == []


def test_the_schema_catches_what_the_specification_requires(issued, validator):
    credential = json.loads(issued["portables"][0].signed_json)
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["credentialSubject"]["identifier"][0]["hashed"] = "yes"
    found = errors(validator, credential)
    assert any("criteria" in e for e in found) and any("hashed" in e for e in found)
