"""Journey (a): an activist on her phone answers the entry questionnaire and gets her PDF."""

import io
import json
import re
import unicodedata

import pytest
from pypdf import PdfReader

from tests.helpers import ACTIVIST_BUDGET, PHONE

pytestmark = pytest.mark.journey

RUNNING_COHORT = "Villa María del Triunfo 2026-II"


def _flat(text: str) -> str:
    """Whitespace collapsed and accents composed, as PDF text extraction may split or decompose."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_activist_answers_the_entry_questionnaire_and_downloads_her_certificate(journey):
    j = journey("activist", budget=ACTIVIST_BUDGET, viewport=PHONE, is_mobile=True, has_touch=True)
    page = j.page
    j.login("activista")

    page.locator('nav a[href$="/mis-cursos/"]').click()
    page.wait_for_url("**/mis-cursos/")
    j.check("my-courses")
    card = page.locator("article.enrollment").filter(
        has=page.get_by_text(RUNNING_COHORT, exact=True)
    )
    assert card.count() == 1

    # Entry questionnaire: informed consent first.
    card.locator('a[href*="/pre/consentimiento/"]').click()
    page.wait_for_url("**/pre/consentimiento/")
    j.check("consent")
    page.locator('button[name="decision"][value="accept"]').click()
    page.wait_for_url(re.compile(r"/cuestionarios/\d+/pre/$"))
    j.check("questionnaire")

    questions = page.locator("form.questionnaire fieldset.question")
    total = questions.count()
    assert total > 0
    for index in range(total):
        question = questions.nth(index)
        # The first one is skipped with "Prefer not to answer"; the others use the whole scale.
        value = "na" if index == 0 else str(index % 5 + 1)
        question.locator(f'label:has(input[value="{value}"])').click()
        assert question.locator(f'input[value="{value}"]').is_checked()
    page.locator('button[name="action"][value="submit"]').click()
    page.wait_for_url(re.compile(r"/cuestionarios/\d+/pre/enviado/$"))
    j.check("sent")
    assert re.search(r"Gracias|Thank you", page.locator("main h1").inner_text())
    assert page.locator(".messages .msg-success").count() == 1

    [(code,)] = j.site.query(
        "SELECT i.research_code FROM lms_researchidentity i"
        " JOIN lms_participantprofile p ON p.id = i.profile_id"
        " JOIN auth_user u ON u.id = p.user_id WHERE u.username = 'activista'"
    )
    [(status, answers)] = j.site.query(
        "SELECT r.status, r.answers FROM assessments_response r"
        " JOIN courses_cohort c ON c.id = r.cohort_id"
        " WHERE r.research_code = ? AND r.wave = 'pre' AND c.name = ?",
        (code, RUNNING_COHORT),
    )
    answers = json.loads(answers)
    assert status == "submitted"
    assert len(answers) == total
    assert sum(answer is None for answer in answers.values()) == 1  # prefers not to answer

    # Back to "My courses": attendance progress, and the questionnaire marked as sent.
    page.locator('main a.button[href$="/mis-cursos/"]').click()
    page.wait_for_url("**/mis-cursos/")
    j.check("my-courses-after")
    card = page.locator("article.enrollment").filter(
        has=page.get_by_text(RUNNING_COHORT, exact=True)
    )
    assert re.fullmatch(r"\d+ %", card.locator(".progress-line .big").inner_text().strip())
    assert card.locator("progress").count() == 1
    sent = card.locator("li.questionnaire-submitted")
    assert sent.count() == 1
    assert re.search(r"enviado|sent on", sent.inner_text(), re.IGNORECASE)
    assert card.locator('a[href*="/pre/"]').count() == 0  # no way to answer it twice

    # "My certificates": the PDF of the finished cohort.
    page.locator('nav a[href$="/certificados/"]').click()
    page.wait_for_url("**/certificados/")
    j.check("my-certificates")
    pdf = j.download(page.locator('main a[href$="/pdf/"]').first, "certificado.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    text = _flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))
    assert _flat(j.site.full_name("activista")) in text
