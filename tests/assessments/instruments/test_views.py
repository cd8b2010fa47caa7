import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.instruments.files import instrument_import
from assessments.models import Instrument
from lms.roles import Role
from tests.factories import person
from tests.helpers import EXAMPLE_INSTRUMENT


def upload(doc: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile("i.json", json.dumps(doc).encode(), "application/json")


def test_coordinator_lists_and_exports_instruments(client, national_coordinator):
    instrument = instrument_import(EXAMPLE_INSTRUMENT.read_bytes())
    client.force_login(national_coordinator)
    page = client.get("/admin/instrumentos/")
    assert page.status_code == 200
    assert instrument.code in page.content.decode()
    exported = client.get(f"/admin/instrumentos/{instrument.pk}/exportar/")
    assert exported["Content-Disposition"].endswith('ejemplo-tolerancia-1.0.json"')
    assert json.loads(exported.content)["items"][0]["code"] == instrument.items.first().code


def test_import_of_a_new_version_and_a_bad_file(client, national_coordinator):
    client.force_login(national_coordinator)
    doc = json.loads(EXAMPLE_INSTRUMENT.read_text(encoding="utf-8"))
    response = client.post("/admin/instrumentos/importar/", {"file": upload(doc)})
    assert response.status_code == 302
    bad = copy.deepcopy(doc)
    bad["version"] = "2.0"
    bad["items"][0]["filler"] = "no"
    response = client.post("/admin/instrumentos/importar/", {"file": upload(bad)})
    assert response.status_code == 200
    assert "filler" in response.content.decode()
    assert list(Instrument.objects.values_list("version", flat=True)) == ["1.0"]


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.TRAINER, Role.ACTIVIST])
def test_other_roles_cannot_reach_instruments(client, db, role):
    client.force_login(person(role))
    assert client.get("/admin/instrumentos/").status_code in (302, 403)
    response = client.post("/admin/instrumentos/importar/", {"file": upload({"format": "x"})})
    assert response.status_code in (302, 403)
    assert not Instrument.objects.exists()
