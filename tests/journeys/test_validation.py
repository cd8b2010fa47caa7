"""Journey (f): a coordinator opens a validation round on the course, an activist gives her
opinion on a small phone, a facilitator types in a paper form, the coordinator reads the
results and downloads the report, and the accreditor reads the validation and changes nothing."""

import re
import unicodedata

import pytest

from tests.helpers import ACTIVIST_BUDGET, SMALL_PHONE, pdf_text

pytestmark = pytest.mark.journey


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _open_a_round(j, page) -> str:
    """As the national coordinator: a round on the course's latest revision, with `activista`
    and one more activist of her CEM, opened. Returns the round's path."""
    page.goto("/validacion/")
    j.check("validation-index")
    page.locator('main a[href$="/validacion/nueva/"]').click()
    page.wait_for_url("**/validacion/nueva/")
    j.check("choose-course")
    page.locator('main a[href*="/validacion/nueva/?curso="]').first.click()
    page.wait_for_url(re.compile(r"/validacion/nueva/\?curso=\d+$"))
    j.check("round-form")
    page.locator('input[name="title"]').fill("Validación de la versión 1.1")
    page.locator("form.round-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/validacion/\d+/$"))
    j.check("round-created")
    path = re.search(r"/validacion/\d+/", page.url).group(0)

    page.locator(f'main a[href$="{path}participantes/"]').first.click()
    page.wait_for_url(f"**{path}participantes/")
    j.check("participants")
    people = j.site.query(
        "SELECT id FROM auth_user WHERE username IN ('activista', 'vilii-01') ORDER BY id"
    )
    form = page.locator("form.add-people")
    for (user_id,) in people:
        form.locator(f'input[name="people"][value="{user_id}"]').check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{path}participantes/")
    j.check("participants-added")
    assert page.locator("main table tbody tr").count() == 2

    page.goto(path)
    page.locator('button[name="action"][value="open"]').click()
    page.wait_for_url(f"**{path}")
    j.check("round-open")
    assert page.locator("main .badge").first.inner_text().strip() in {
        "Abierta a opiniones",
        "Open for feedback",
    }
    return path


def test_a_round_collects_feedback_online_and_from_paper_and_the_report_reads_it(journey):
    coordinator = journey("validation-coordinator", viewport=SMALL_PHONE, max_width=360)
    page = coordinator.page
    coordinator.login("coordinadora")
    path = _open_a_round(coordinator, page)
    round_id = int(path.strip("/").split("/")[-1])

    # The activist, on a small phone: the invitation, the consent, the form, thanks.
    activist = journey(
        "validation-activist",
        budget=ACTIVIST_BUDGET,
        viewport=SMALL_PHONE,
        max_width=360,
        is_mobile=True,
        has_touch=True,
    )
    phone = activist.page
    activist.login("activista")
    phone.locator(f'a[href$="{path}participar/"]').click()
    phone.wait_for_url(f"**{path}participar/")
    activist.check("take-part")
    phone.locator('button[name="decision"][value="accept"]').click()
    phone.wait_for_url(f"**{path}opinion/")
    activist.check("feedback-form")
    # No inline script or style as served (static files only; data blocks aside). The page in
    # the browser holds axe-core by now, so read what the server sends.
    html = phone.request.get(phone.url).text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all("src=" in tag or "application/json" in tag for tag in scripts), scripts
    assert "style=" not in html and "<style" not in html
    items = phone.locator("form.validation-form section.v-item fieldset.rating")
    assert items.count() >= 40  # four ratings for each of the ten sessions at least
    for index in range(items.count()):
        value = str(index % 5 + 1)
        items.nth(index).locator(f'label[for$="-{value}"]').click()
    phone.locator("textarea").first.fill("Se entiende, pero faltan ejemplos del barrio.")
    phone.locator("#id_missing").fill("Violencia por celular")
    phone.locator("form.validation-form button[type=submit]").click()
    phone.wait_for_url(f"**{path}gracias/")
    activist.check("thanks")
    [(code,)] = activist.site.query(
        "SELECT r.research_code FROM lms_researchidentity r"
        " JOIN lms_participantprofile p ON p.id = r.profile_id"
        " JOIN auth_user u ON u.id = p.user_id WHERE u.username = 'activista'"
    )
    [(source, answers)] = activist.site.query(
        "SELECT f.source, COUNT(a.id) FROM courses_validationfeedback f"
        " JOIN courses_validationanswer a ON a.feedback_id = f.id"
        " WHERE f.round_id = ? AND f.research_code = ? GROUP BY f.id",
        (round_id, code),
    )
    assert source == "online" and answers >= 10

    # The facilitator of Villa María types in the other participant's paper form.
    facilitator = journey("validation-facilitator", viewport=SMALL_PHONE, max_width=360)
    desk = facilitator.page
    facilitator.login("facilitador")
    desk.goto(f"{path}papel/")
    facilitator.check("paper-list")
    desk.locator(f'main a[href*="{path}papel/"]').first.click()
    desk.wait_for_url(re.compile(r"/papel/\d+/$"))
    facilitator.check("paper-entry")
    desk.locator('input[name="consent_signed"]').check()
    desk.locator('label[for="r-s01-clear-4"]').click()
    desk.locator('label[for="r-s02-safe-2"]').click()
    desk.locator("form.validation-form button[type=submit]").click()
    desk.wait_for_url(f"**{path}papel/")
    facilitator.check("paper-recorded")
    [(paper,)] = facilitator.site.query(
        "SELECT COUNT(*) FROM courses_validationfeedback WHERE round_id = ? AND source = 'paper'",
        (round_id,),
    )
    assert paper == 1

    # The coordinator reads the results of the closed demo round and downloads its report.
    page.goto("/validacion/")
    page.locator("main a").filter(has_text="Validación del esquema").first.click()
    page.wait_for_url(re.compile(r"/validacion/\d+/$"))
    page.locator('main a.button[href$="/resultados/"]').click()
    page.wait_for_url("**/resultados/")
    coordinator.check("results-by-site")
    assert page.locator("svg.chart rect.heat").count() > 0
    assert page.locator("main table.stats").count() > 10
    page.locator('select[name="por"]').select_option("sexo")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/resultados/?por=sexo")
    coordinator.check("results-by-sex")
    page.locator('select[name="por"]').select_option("generacion")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/resultados/?por=generacion")
    coordinator.check("results-by-generation")
    report = coordinator.download(
        page.locator('main a[href$="/exportar/informe.pdf"]'), "informe.pdf"
    )
    text, reader = pdf_text(report.read_bytes())
    text = _flat(text)
    assert reader.metadata.title.startswith("Informe de validación")
    for expected in (
        "Con quiénes se validó",
        "Villa María del Triunfo",
        "Iquitos",
        "Respondido por",
    ):
        assert expected in text, expected

    # A finding answered by a later revision shows what it changed.
    page.locator('main a[href*="/hallazgos/"]').filter(has_text="consentimiento").first.click()
    page.wait_for_url(re.compile(r"/hallazgos/\d+/$"))
    coordinator.check("finding")
    assert page.locator("main .diff .addition").count() > 0


def test_the_accreditor_reads_the_validation_and_changes_nothing(journey):
    j = journey("validation-accreditor", viewport=SMALL_PHONE, max_width=360)
    page = j.page
    j.login("acreditadora")
    page.goto("/acreditacion/")
    j.check("audit-with-validation")
    evidence = page.locator("section.validation-evidence").first
    assert "validada" in evidence.inner_text() or "validated" in evidence.inner_text()
    evidence.locator('a[href$="/resultados/"]').first.click()
    page.wait_for_url("**/resultados/")
    j.check("results")
    body = page.locator("main").inner_text()
    assert "Los ejemplos de consentimiento" not in body  # a comment of the demo: never here
    assert page.locator('a[href$="/exportar/opiniones.csv"]').count() == 0
    assert page.locator("main form[method=post]").count() == 0
    before = j.site.query("SELECT COUNT(*) FROM courses_validationfinding")
    response = page.request.post(page.url.replace("/resultados/", "/hallazgos/nuevo/"))
    assert response.status in {403, 404, 405}
    assert j.site.query("SELECT COUNT(*) FROM courses_validationfinding") == before
