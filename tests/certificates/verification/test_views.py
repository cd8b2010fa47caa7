"""Public verification: the page of a code, the rate limit, the Open Badges credential and the
list of revoked credentials."""

import json

from certificates.issuance.services import certificate_revoke
from certificates.models import VerificationLookup
from certificates.verification.services import LOOKUPS_PER_WINDOW


def test_public_verification_of_a_valid_certificate(client, issued):
    certificate = issued["certificates"][0]
    response = client.get(f"/verificar/{certificate.code}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Certificado válido" in content or "Valid certificate" in content
    assert certificate.full_name in content and certificate.course_title in content
    assert certificate.participant_code not in content
    assert VerificationLookup.objects.filter(certificate=certificate).count() == 1


def test_revoked_certificate_says_revoked_on_page_and_badge(client, issued):
    certificate = issued["certificates"][0]
    certificate_revoke(actor=issued["trainer"], certificate=certificate, reason="Duplicado")
    content = client.get(f"/verificar/{certificate.code}/").content.decode()
    assert "Revocado" in content or "Revoked" in content
    assert "Duplicado" not in content
    badge = json.loads(client.get(f"/verificar/{certificate.code}/insignia.json").content)
    # The signed badge never changes: its status-list bit says revoked (tests/certificates/
    # credentials), and so does the older list kept for badges downloaded before signing.
    revoked = json.loads(client.get("/verificar/revocados.json").content)
    assert [r["id"] for r in revoked["revokedCredential"]] == [badge["id"]]


def test_unknown_code_gets_a_neutral_not_found_page(client, issued):
    response = client.get("/verificar/AAAA-BBBB-CCCC-DDDD/")
    assert response.status_code == 404
    assert response.context["certificate"] is None  # the same page, saying nothing more
    assert 'class="verdict"' in response.content.decode()
    assert VerificationLookup.objects.filter(
        certificate=None, code_tried="AAAA-BBBB-CCCC-DDDD"
    ).exists()


def test_lookups_are_rate_limited_per_client(client, issued):
    code = issued["certificates"][0].code
    for _ in range(LOOKUPS_PER_WINDOW):
        assert client.get(f"/verificar/{code}/").status_code == 200
    assert client.get(f"/verificar/{code}/").status_code == 429
    other = client.get(f"/verificar/{code}/", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_open_badge_credential_shape(client, issued):
    certificate = issued["certificates"][0]
    badge = json.loads(client.get(f"/verificar/{certificate.code}/insignia.json").content)
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.course_title
    assert achievement["creditsAvailable"] == certificate.credit_hours
    assert achievement["criteria"]["narrative"]
    assert badge["issuer"]["type"] == ["Profile"]
    assert badge["validFrom"]
    assert badge["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert badge["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
