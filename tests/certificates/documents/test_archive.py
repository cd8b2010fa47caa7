"""A cohort's certificates downloaded as one streamed ZIP by coordinators and accreditors."""

import io
import zipfile

import pytest

from certificates.issuance.services import certificate_revoke, certificates_issue
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import (
    EnrollmentFactory,
    SessionPageFactory,
    hold_sessions,
    named_activist,
    person,
    site,
)
from tests.helpers import pdf_text


@pytest.fixture
def issued(cohort_setup, course, django_capture_on_commit_callbacks):
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(5, 10)]
    cohort = cohort_setup["cohort"]
    winners = [
        EnrollmentFactory(cohort=cohort, activist=named_activist(cohort, "Ñusta", "Qʼispe")),
        EnrollmentFactory(cohort=cohort),
        EnrollmentFactory(cohort=cohort),
    ]
    marks = {w: list("PPPPPPPPP") for w in winners}
    marks |= {e: list("AAAAAAAAA") for e in cohort_setup["enrollments"]}
    hold_sessions(cohort, cohort_setup["sessions"] + sessions, marks, days_ago_start=70)
    with django_capture_on_commit_callbacks(execute=True):
        certificates = certificates_issue(actor=None, cohort=cohort)
    return cohort_setup | {"certificates": certificates}


def download(client, cohort):
    response = client.get(f"/grupos/{cohort.pk}/certificados.zip")
    assert response.status_code == 200, response.status_code
    assert response.streaming and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ACCREDITOR])
def test_coordinators_and_accreditors_download_every_certificate_pdf(client, issued, role):
    certificates = issued["certificates"]
    certificate_revoke(actor=issued["trainer"], certificate=certificates[1], reason="Duplicado")
    client.force_login(person(role, site_=site("villa-maria-del-triunfo")))
    archive = download(client, issued["cohort"])
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "indice.csv" and len(names) == 1 + len(certificates)
    assert sum(name.startswith("revocado-") for name in names) == 1
    texts = [pdf_text(archive.read(name))[0] for name in names[1:]]
    for certificate in certificates:
        assert any(certificate.code in text and certificate.full_name in text for text in texts)
    index = archive.read("indice.csv").decode("utf-8-sig")
    assert "Ñusta Qʼispe" in index
    entry = AuditLogEntry.objects.get(after__export="certificados.zip")
    assert entry.after["certificates"] == len(certificates)


def test_pdfs_not_yet_rendered_are_rendered_for_the_archive(client, issued):
    for certificate in issued["certificates"]:
        certificate.pdf.delete(save=True)
    client.force_login(person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo")))
    archive = download(client, issued["cohort"])
    assert all(archive.read(n).startswith(b"%PDF") for n in archive.namelist()[1:])


def test_trainers_and_activists_are_refused_and_other_sites_see_nothing(client, issued):
    url = f"/grupos/{issued['cohort'].pk}/certificados.zip"
    client.force_login(issued["trainer"])
    assert client.get(url).status_code == 403
    client.force_login(issued["certificates"][0].enrollment.activist)
    assert client.get(url).status_code == 403
    client.force_login(person(Role.COORDINATOR, site_=site("arequipa")))
    assert client.get(url).status_code == 404
    assert not AuditLogEntry.objects.filter(after__export="certificados.zip").exists()
