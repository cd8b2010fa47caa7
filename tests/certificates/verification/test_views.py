"""Public verification: the page of a code, the rate limit, the Open Badges credential and the
list of revoked credentials."""

import json
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from certificates.issuance.services import certificate_revoke
from certificates.models import VerificationLookup
from certificates.verification.services import UNKNOWN_LOOKUPS_PER_WINDOW


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


def test_unknown_codes_are_limited_per_client_and_real_codes_never(client, issued):
    code = issued["certificates"][0].code
    for n in range(UNKNOWN_LOOKUPS_PER_WINDOW):
        assert client.get(f"/verificar/AAAA-BBBB-CCCC-{n:04d}/").status_code == 404
    for path in (
        "/verificar/AAAA-BBBB-CCCC-XXXX/",
        "/verificar/AAAA-BBBB-CCCC-XXXX/insignia.json",
        "/verificar/AAAA-BBBB-CCCC-XXXX/insignia.jwt",
        "/verificar/estado/999999.json",
        "/verificar/cursos/NO-EXISTE/",
    ):
        limited = client.get(path)
        assert limited.status_code == 429, path
        assert 540 < int(limited["Retry-After"]) <= 600
    assert "inténtalo de nuevo en 10 minutos" in client.get("/verificar/X-Y/").content.decode()
    # A real code is always answered, on every address, and the page is logged as visited.
    for path in (f"/verificar/{code}/", f"/verificar/{code}/insignia.json"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/verificar/{code.lower()}/insignia.jwt").status_code == 200
    other = client.get("/verificar/AAAA-BBBB-CCCC-XXXX/", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 404
    # The window ends and the client may guess again.
    VerificationLookup.objects.update(at=timezone.now() - timedelta(minutes=11))
    assert client.get("/verificar/AAAA-BBBB-CCCC-XXXX/").status_code == 404


def test_codes_that_cannot_be_codes_are_answered_without_a_lookup(client, issued):
    assert client.get("/verificar/", {"codigo": "a/b"}).status_code == 400
    assert client.get("/verificar/", {"codigo": " aaaa-bbbb "}).url == "/verificar/AAAA-BBBB/"
    assert client.get("/verificar/%00/").status_code == 400
    assert client.get("/verificar/", {"codigo": "\x00"}).status_code == 400
    assert client.get("/buscar/", {"q": "\x00"}).status_code == 400
    assert client.get("/verificar/%C3%B1/").status_code == 404


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


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_guesser_never_blocks_an_honest_visitor(client, issued):
    code = issued["certificates"][0].code

    def through_proxy(path, client_address):
        return client.get(path, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address)

    for n in range(UNKNOWN_LOOKUPS_PER_WINDOW + 5):
        through_proxy(f"/verificar/AAAA-BBBB-CCCC-{n:04d}/", "203.0.113.66")
    assert through_proxy("/verificar/AAAA-BBBB-CCCC-XXXX/", "203.0.113.66").status_code == 429
    assert through_proxy("/verificar/AAAA-BBBB-CCCC-XXXX/", "198.51.100.7").status_code == 404
    assert through_proxy(f"/verificar/{code}/", "198.51.100.7").status_code == 200
    assert through_proxy(f"/verificar/{code}/", "203.0.113.66").status_code == 200
