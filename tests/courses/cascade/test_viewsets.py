"""Districts in the admin: a coordinator adds one of her site, audit-logged; another site's
answers 404; one a group uses cannot be deleted."""

import pytest
from django.urls import reverse

from courses.models import District
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import district, person, site
from tests.helpers import prefer_english

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_district_of_her_site(client, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    assert client.get(reverse("districts:index")).status_code == 200
    response = client.post(
        reverse("districts:add"),
        {
            "ubigeo": "080101",
            "name": "Cusco",
            "province": "Cusco",
            "department": "Cusco",
            "site": site("villa-maria-del-triunfo").pk,
        },
    )
    assert response.status_code == 302
    added = District.objects.get(ubigeo="080101")
    assert AuditLogEntry.objects.filter(object_id=str(added.pk), action="create").exists()
    other = person(Role.COORDINATOR, site_=site("arequipa"))
    client.force_login(prefer_english(other))
    assert client.get(reverse("districts:edit", args=[added.pk])).status_code == 404


def test_a_district_with_groups_cannot_be_deleted(client, group, site_coordinator):
    client.force_login(prefer_english(site_coordinator))
    used = district("150143")
    client.post(reverse("districts:delete", args=[used.pk]))
    assert District.objects.filter(pk=used.pk).exists()
    assert District.objects.filter(site=site("villa-maria-del-triunfo")).count() >= 50
