"""Wagtail's site-wide history lists every site's changes: site coordinators never open it."""

import pytest


@pytest.mark.parametrize(
    "path", ["/admin/reports/site-history/", "/admin/reports/site-history/results/"]
)
def test_site_coordinators_are_refused_the_site_history(client, site_coordinator, path):
    client.force_login(site_coordinator)
    assert client.get(path).status_code == 403
    assert client.get(path, {"export": "csv"}).status_code == 403
    assert "site-history" not in client.get("/admin/").content.decode()


def test_national_coordinators_read_it(client, national_coordinator):
    client.force_login(national_coordinator)
    assert client.get("/admin/reports/site-history/").status_code == 200


def test_administrators_see_it_in_their_reports_menu(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "site-history" in client.get("/admin/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
