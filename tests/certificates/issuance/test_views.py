"""The certificates of a cohort as coordinators and activists see them: own downloads, the
eligibility table, issuing, closing and revoking."""

import pytest

from certificates.models import Certificate
from lms.roles import Role
from tests.factories import person, site


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
