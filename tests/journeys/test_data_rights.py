"""Journey (g): the demo activist downloads everything the platform holds about her, as a PDF
she reads and a JSON file, asks for her phone number to be corrected, and the national
coordinator corrects it from the requests queue."""

import json
import re
import unicodedata

import pytest
from pypdf import PdfReader

from tests.helpers import ACTIVIST_BUDGET, PHONE

pytestmark = pytest.mark.journey

NEW_PHONE = "+51 912 000 417"


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_activist_downloads_her_data_and_has_her_phone_corrected(journey):
    j = journey("data-rights", budget=ACTIVIST_BUDGET, viewport=PHONE, is_mobile=True)
    page = j.page
    j.login("activista")
    name = j.site.full_name("activista")

    page.locator('nav a[href$="/mis-datos/"]').first.click()
    page.wait_for_url("**/mis-datos/")
    j.check("my-data")
    page.locator('main form[action$="/mis-datos/descarga/"] button[type="submit"]').click()
    page.wait_for_url("**/mis-datos/")
    j.check("my-data-ready")

    pdf = j.download(page.locator('main a[href$="/pdf/"]').first, "mis-datos.pdf")
    text = _flat("\n".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert _flat(name) in text
    for heading in ("Cuenta y perfil", "Inscripciones y consentimiento", "Asistencia"):
        assert heading in text, heading
    assert "Certificados" in text
    assert NEW_PHONE not in text

    data = json.loads(
        j.download(page.locator('main a[href$="/json/"]').first, "mis-datos.json").read_text(
            encoding="utf-8"
        )
    )
    sections = {section["key"]: section for section in data["sections"]}
    [account] = sections["lms.account"]["records"]
    assert account["username"] == "activista"
    assert len(sections["courses.attendance"]["records"]) > 3
    [(exports,)] = j.site.query(
        "SELECT COUNT(*) FROM lms_personaldataexport e JOIN auth_user u ON u.id = e.person_id"
        " WHERE u.username = 'activista' AND e.status = 'ready'"
    )
    assert exports == 1

    # She asks for her phone number to be corrected.
    page.locator('main a[href$="/mis-datos/solicitar/rectificacion/"]').click()
    page.wait_for_url("**/solicitar/rectificacion/")
    j.check("rectification-form")
    form = page.locator("main form")
    form.locator('select[name="field"]').select_option("phone")
    form.locator('[name="current_value"]').fill("+51 987 654 321")
    form.locator('[name="requested_value"]').fill(NEW_PHONE)
    form.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/mis-datos/solicitudes/[^/]+/$"))
    j.check("rectification-received")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    [(status, due)] = j.site.query(
        "SELECT status, due_on FROM lms_datarightsrequest WHERE number = ?", (number,)
    )
    assert status == "received" and due

    # The national coordinator takes it from the queue and corrects the phone.
    coordinator = j.new_page()
    j.login("coordinadora", coordinator)
    coordinator.goto("/solicitudes-de-datos/")
    j.check("queue", coordinator)
    coordinator.locator(f'main a:has-text("{number}")').first.click()
    coordinator.wait_for_url(f"**/solicitudes-de-datos/{number}/")
    coordinator.locator('main form:has(input[name="action"][value="start"]) button').click()
    coordinator.wait_for_url(f"**/solicitudes-de-datos/{number}/")
    apply = coordinator.locator('main form:has(input[name="action"][value="apply"])')
    assert apply.locator('[name="value"]').input_value() == NEW_PHONE
    apply.locator('button[type="submit"]').click()
    coordinator.wait_for_url(f"**/solicitudes-de-datos/{number}/")
    j.check("request-done", coordinator)
    [(status,)] = j.site.query(
        "SELECT status FROM lms_datarightsrequest WHERE number = ?", (number,)
    )
    [(phone,)] = j.site.query(
        "SELECT p.phone FROM lms_participantprofile p JOIN auth_user u ON u.id = p.user_id"
        " WHERE u.username = 'activista'"
    )
    assert (status, phone) == ("done", NEW_PHONE)

    # She sees it answered.
    page.goto("/mis-datos/")
    j.check("my-data-answered")
    assert number in page.locator("main").inner_text()
