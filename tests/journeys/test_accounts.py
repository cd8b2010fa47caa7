"""Journey (e): a coordinator imports a person without e-mail and prints her code; she activates
her account on a 360 px phone; the admin keeps to its Content Security Policy; a malformed
instrument file is answered with its problems."""

import json
import re

import pytest

from lms.demo import DEMO_PASSWORD as PASSWORD
from tests.helpers import ACTIVIST_BUDGET, SMALL_PHONE

pytestmark = pytest.mark.journey

RUNNING_COHORT = "Villa María del Triunfo 2026-II"
ROSTER = (
    "nombres;apellidos;sexo;anio_nacimiento;cem\r\n"
    "Rosa Elvira;Ccahuana Quispe;F;1988;CEM Villa María del Triunfo\r\n"
)
NEW_PASSWORD = "Cerro-Lomo-de-Corvina-7"


def admin_login(j, username: str):
    page = j.new_page()
    page.goto("/admin/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        page.locator('button[type="submit"]').click()
    assert "/admin/login/" not in page.url
    return page


def enforced_breaches(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => window.__cspBreaches || []")


def test_an_imported_person_activates_her_account_with_a_printed_code(journey, tmp_path):
    j = journey("accounts", budget=ACTIVIST_BUDGET, viewport=SMALL_PHONE, max_width=360)
    [(cohort_id,)] = j.site.query("SELECT id FROM courses_cohort WHERE name = ?", (RUNNING_COHORT,))

    # The coordinator imports the roster and prints the new person's slip.
    admin = admin_login(j, "coordinadora")
    roster = tmp_path / "lista.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    admin.goto(f"/admin/delivery/cohorts/roster/{cohort_id}/")
    admin.locator('input[type="file"]').set_input_files(str(roster))
    with admin.expect_navigation():
        admin.locator('main form button[type="submit"]').click()
    assert "/admin/delivery/enrollments/" in admin.url, admin.content()[:2000]
    [(username,)] = j.site.query(
        "SELECT username FROM auth_user WHERE last_name = ?", ("Ccahuana Quispe",)
    )
    admin.goto(f"/admin/delivery/cohorts/accounts/{cohort_id}/")
    for box in admin.locator('input[name="people"]').all():
        box.uncheck()
    admin.get_by_label("Rosa Elvira Ccahuana Quispe").check()
    with admin.expect_navigation():
        admin.locator('button[name="action"][value="print"]').click()
    slip = admin.locator("li.slip").filter(has_text=username)
    assert slip.count() == 1
    code = slip.locator(".slip-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert not enforced_breaches(admin)
    admin.screenshot(path=j.folder / "slips.png", full_page=True)

    # She activates her account on a small phone, from the sign-in page.
    page = j.page
    page.goto("/cuenta/ingresar/")
    j.check("sign-in")
    page.get_by_role("link", name="Tengo un código de mi coordinadora").click()
    page.wait_for_url("**/cuenta/activar/")
    j.check("activate")
    form = page.locator("main form")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="secret_code"]').fill(code.lower())
    form.locator('input[name="new_password1"]').fill(NEW_PASSWORD)
    form.locator('input[name="new_password2"]').fill(NEW_PASSWORD)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    page.wait_for_url("**/panel/")
    j.check("dashboard")
    assert "Tu contraseña quedó guardada" in page.locator(".messages").inner_text()

    # The code works once; her own password works from now on.
    other = j.new_page(viewport=SMALL_PHONE)
    other.goto("/cuenta/activar/")
    other.locator('input[name="username"]').fill(username)
    other.locator('input[name="secret_code"]').fill(code)
    other.locator('input[name="new_password1"]').fill("Otra-Clave-Larga-99")
    other.locator('input[name="new_password2"]').fill("Otra-Clave-Larga-99")
    other.locator('main form button[type="submit"]').click()
    other.wait_for_load_state("networkidle")
    assert "ya no es válido" in other.locator("main").inner_text()
    [(action,)] = j.site.query(
        "SELECT action FROM lms_auditlogentry WHERE action = 'code_used' AND object_repr = ?",
        (username,),
    )
    assert action == "code_used"


ADMIN_PAGES = (
    "/admin/",
    "/admin/delivery/cohorts/",
    "/admin/delivery/enrollments/",
    "/admin/delivery/profiles/",
    "/admin/instrumentos/",
    "/admin/ingreso/bloqueos/",
    "/admin/pages/",
)


def test_the_admin_keeps_to_its_policy_and_answers_a_malformed_instrument(journey, tmp_path):
    j = journey("admin-policy")
    admin = admin_login(j, "coordinadora")
    reported = []
    admin.on(
        "console",
        lambda message: (
            reported.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    [(cohort_id,)] = j.site.query("SELECT id FROM courses_cohort WHERE name = ?", (RUNNING_COHORT,))
    [(course_id,)] = j.site.query("SELECT page_ptr_id FROM courses_coursepage LIMIT 1")
    for path in (
        *ADMIN_PAGES,
        f"/admin/delivery/cohorts/edit/{cohort_id}/",
        f"/admin/delivery/cohorts/accounts/{cohort_id}/",
        f"/admin/pages/{course_id}/edit/",
    ):
        admin.goto(path)
        assert not enforced_breaches(admin), path

    # A malformed instrument file: its problems listed, nothing imported, no error page.
    broken = tmp_path / "instrumento.json"
    broken.write_text(json.dumps({"format": "cem-instrument/1", "scale": {"min": 0, "max": 10**9}}))
    admin.goto("/admin/instrumentos/importar/")
    admin.locator('input[type="file"]').set_input_files(str(broken))
    with admin.expect_navigation():
        admin.locator('main form button[type="submit"]').click()
    problems = admin.locator("section.help-critical li").all_inner_texts()
    assert any(p.startswith("scale:") and "-100" in p for p in problems), problems
    assert not enforced_breaches(admin)
    admin.screenshot(path=j.folder / "instrument-problems.png", full_page=True)
    (j.folder / "admin-report-only.txt").write_text("\n".join(reported), encoding="utf-8")
