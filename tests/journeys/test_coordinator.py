"""Journey (c): the national coordinator reads the pre/post analytics and exports the data."""

import csv
import re

import pytest

pytestmark = pytest.mark.journey

SUPPRESSED_OR_UNDEFINED = {"—", "n/a", ""}


def _figures(page) -> list[str]:
    """The non-empty figures of the first statistics table (the change by group)."""
    cells = page.locator("table.stats").first.locator("tbody td").all_inner_texts()
    return [cell.strip() for cell in cells if cell.strip() not in SUPPRESSED_OR_UNDEFINED]


def test_coordinator_groups_the_analytics_by_site_and_exports_the_responses(journey):
    j = journey("coordinator")
    page = j.page
    j.login("coordinadora")

    page.locator('nav a[href$="/analitica/"]').click()
    page.wait_for_url("**/analitica/")
    j.check("analytics")
    assert page.locator("table.stats").count() >= 1
    assert any(re.search(r"\d", cell) for cell in _figures(page)), "every figure is suppressed"

    # Group by site through the filter form.
    form = page.locator("main form.filters")
    form.locator('select[name="group"]').select_option("site")
    form.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/analitica/\?.*group=site"))
    j.check("analytics-by-site")
    groups = page.locator("table.stats").first.locator("tbody th[scope=row]").all_inner_texts()
    for site in ("Arequipa", "Iquitos", "Villa María del Triunfo"):
        assert site in [name.strip() for name in groups]
    assert any(re.search(r"\d", cell) for cell in _figures(page))

    # The de-identified export of the responses.
    export = page.locator('main a[href*="/analitica/exportar/respuestas.csv"]')
    path = j.download(export, "respuestas.csv")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows
    assert "research_code" in rows[0] and "participant_code" not in rows[0]
    assert all(row["research_code"] for row in rows)

    names = j.site.query("SELECT username, first_name, last_name FROM auth_user")
    cells = {cell.strip() for row in rows for cell in row.values() if cell}
    roster = j.site.query("SELECT participant_code FROM lms_participantprofile")
    assert not {code for (code,) in roster} & cells, "a participant (roster) code in the export"
    for username, first, last in names:
        assert username not in cells, f"user name {username!r} in the export"
        if first and last:
            assert f"{first} {last}" not in text, f"{first} {last} in the export"
            assert last not in cells, f"surname {last!r} in the export"
