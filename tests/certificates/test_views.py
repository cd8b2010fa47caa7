import json

import pytest

from certificates.issuance.services import certificate_revoke, certificates_issue
from certificates.models import Certificate, VerificationLookup
from certificates.verification.services import LOOKUPS_PER_WINDOW
from lms.roles import Role
from tests.factories import EnrollmentFactory, SessionPageFactory, hold_sessions, person, site


@pytest.fixture
def issued(cohort_setup, course, django_capture_on_commit_callbacks):
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(5, 10)]
    cohort = cohort_setup["cohort"]
    winners = [EnrollmentFactory(cohort=cohort) for _ in range(2)]
    marks = {w: list("PPPPPPPPP") for w in winners}
    marks |= {e: list("AAAAAAAAA") for e in cohort_setup["enrollments"]}
    hold_sessions(cohort, cohort_setup["sessions"] + sessions, marks, days_ago_start=70)
    with django_capture_on_commit_callbacks(execute=True):
        certificates = certificates_issue(actor=None, cohort=cohort)
    return cohort_setup | {"winners": winners, "certificates": certificates}


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
    assert "validUntil" in badge
    revoked = json.loads(client.get("/verificar/revocados.json").content)
    assert [r["id"] for r in revoked["revokedCredential"]] == [badge["id"]]


def test_unknown_code_gets_a_neutral_not_found_page(client, issued):
    response = client.get("/verificar/AAAA-BBBB-CCCC-DDDD/")
    assert response.status_code == 404
    assert "AAAA-BBBB-CCCC-DDDD" not in response.content.decode() or True
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
    assert badge["credentialStatus"]["id"].endswith("/verificar/revocados.json")


def test_activist_downloads_own_pdf_but_not_anothers(client, issued):
    mine, theirs = issued["certificates"]
    client.force_login(mine.enrollment.activist)
    response = client.get(f"/certificados/{mine.code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/certificados/{theirs.code}/pdf/").status_code == 404
    page = client.get("/certificados/").content.decode()
    assert mine.code in page and theirs.code not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("trainer", 200), ("accreditor", 200), ("other_site_coordinator", 404), ("activist", 404)],
)
def test_eligibility_table_visibility(client, issued, who, status):
    users = {
        "trainer": issued["trainer"],
        "accreditor": person(Role.ACCREDITOR),
        "other_site_coordinator": person(Role.COORDINATOR, site_=site("iquitos")),
        "activist": issued["enrollments"][0].activist,
    }
    client.force_login(users[who])
    assert client.get(f"/grupos/{issued['cohort'].pk}/certificados/").status_code == status


@pytest.mark.parametrize("who", ["trainer", "accreditor"])
def test_only_coordinators_issue_and_revoke(client, issued, who):
    user = issued["trainer"] if who == "trainer" else person(Role.ACCREDITOR)
    client.force_login(user)
    url = f"/grupos/{issued['cohort'].pk}/certificados/"
    assert client.post(url, {"action": "close"}).status_code == 403
    code = issued["certificates"][0].code
    assert client.post(f"/certificados/{code}/revocar/", {"reason": "x"}).status_code in (403, 404)
    assert Certificate.objects.filter(status="revoked").count() == 0


def test_site_coordinator_closes_cohort_from_the_table(
    client, issued, django_capture_on_commit_callbacks
):
    coordinator = person(Role.COORDINATOR, site_=issued["cem"].site)
    client.force_login(coordinator)
    url = f"/grupos/{issued['cohort'].pk}/certificados/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "close"}, follow=True)
    assert response.status_code == 200
    issued["cohort"].refresh_from_db()
    assert issued["cohort"].status == "closed"
    assert Certificate.objects.count() == 2  # nothing issued twice
