"""Journey (d): the university's accreditor reads a cohort's completion evidence and checks a
certificate on the public verification page."""

import re

import pytest

from tests.helpers import ACTIVIST_BUDGET

pytestmark = pytest.mark.journey

FINISHED_COHORT = "Villa María del Triunfo 2026-I"


def test_accreditor_reads_the_evidence_and_verifies_a_certificate(journey):
    j = journey("accreditor")
    page = j.page
    j.login("acreditadora")

    page.goto("/acreditacion/")
    j.check("accreditation-index")
    assert page.locator("main h2").count() >= 1  # one section per course
    cohort = page.locator("main").get_by_role("link", name=FINISHED_COHORT, exact=True)
    assert cohort.count() == 1
    cohort.click()
    page.wait_for_url(re.compile(r"/acreditacion/grupos/\d+/$"))
    j.check("cohort-evidence")

    # The activists with their attendance and certificates.
    name = j.site.full_name("activista")
    activists = page.locator("#activists ~ .table-wrap table").first.locator("tbody tr")
    assert activists.count() >= 2
    row = activists.filter(has_text=name)
    assert row.count() == 1
    assert re.search(r"\d+/\d+ \(\d+ %\)", row.inner_text())
    certificate = row.locator('a[href*="/verificar/"]')
    assert certificate.count() == 1
    revoked = activists.filter(has=page.locator(".badge.bad")).locator('a[href*="/verificar/"]')
    assert revoked.count() >= 1  # the demo revokes one certificate of this cohort

    # The record of completion ("acta") as CSV.
    acta = j.download(page.locator('main a[href$="/acta.csv"]'), "acta.csv")
    text = acta.read_bytes().decode("utf-8-sig")
    assert len(text.splitlines()) > activists.count()  # a header, then a row per activist
    assert name in text

    # Anyone can check a certificate: a new context, nobody logged in.
    for link, kind, verdict, holder in [
        (certificate, "ok", r"válido|valid", name),
        (revoked.first, "bad", r"revocado|revoked", None),
    ]:
        href = link.get_attribute("href")
        assert re.fullmatch(r"/verificar/[^/]+/", href), href
        public = j.new_page()
        if kind == "ok":
            public.goto(href)  # the link, as on the evidence page or the PDF's QR code
        else:  # the code typed into the public form, as printed on the paper
            public.goto("/verificar/")
            j.check("verify-form", page=public, budget=ACTIVIST_BUDGET)
            form = public.locator("main form")
            form.locator('input[name="codigo"]').fill(href.split("/")[2].lower())
            form.locator('button[type="submit"]').click()
            public.wait_for_url(f"**{href}")
        j.check("verify", page=public, budget=ACTIVIST_BUDGET)
        assert public.locator('nav a[href*="/cuenta/ingresar/"]').count() == 1  # anonymous
        shown = public.locator(f"main .verdict.{kind}")
        assert shown.count() == 1
        assert re.search(verdict, shown.inner_text(), re.IGNORECASE)
        if holder:
            assert holder in public.locator("main").inner_text()
