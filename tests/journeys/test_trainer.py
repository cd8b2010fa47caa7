"""Journey (b): a trainer records today's session on a small phone."""

import re

import pytest

from tests.helpers import SMALL_PHONE, TRAINER_BUDGET

pytestmark = pytest.mark.journey

RUNNING_COHORT = "Villa María del Triunfo 2026-II"


def test_trainer_records_todays_session_on_a_360px_phone(journey):
    # Without a service worker every page is weighed as a first visit downloads it, the
    # offline scripts included; the offline journey runs with one.
    j = journey(
        "trainer",
        budget=TRAINER_BUDGET,
        max_width=SMALL_PHONE["width"],
        viewport=SMALL_PHONE,
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    page = j.page
    j.login("facilitador")

    page.locator('nav a[href$="/mis-grupos/"]').click()
    page.wait_for_url("**/mis-grupos/")
    j.check("my-groups")
    page.locator("main").get_by_role("link", name=RUNNING_COHORT, exact=True).first.click()
    page.wait_for_url(re.compile(r"/grupos/\d+/$"))
    j.check("cohort")

    # Today's session is the only scheduled one that already takes attendance.
    record = page.locator('li.delivery-scheduled a[href$="/asistencia/"]')
    assert record.count() == 1, "expected exactly one session to record today"
    assert re.search(r"Registrar sesión|Record session", record.inner_text())
    sheet_url = record.get_attribute("href")
    record.click()
    page.wait_for_url(f"**{sheet_url}")
    j.check("attendance-sheet")

    # Everyone starts as present; tap the exceptions on the segmented control.
    rows = page.locator("ol.marks > li")
    roster = rows.count()
    assert roster >= 2
    marked = {}
    for row, status in zip([rows.nth(0), rows.nth(1)], ["L", "A"], strict=True):
        assert row.locator('input[type="radio"][value="P"]').is_checked()
        row.locator(f"label.st-{status}").tap()
        radio = row.locator(f'input[type="radio"][value="{status}"]')
        assert radio.is_checked()
        enrollment_id = int(re.fullmatch(r"s(\d+)-\w", radio.get_attribute("id")).group(1))
        marked[enrollment_id] = status
    save = page.get_by_role("button", name=re.compile(r"Guardar asistencia|Save attendance"))
    save.first.click()
    page.wait_for_url(re.compile(r"/grupos/\d+/(#schedule)?$"))
    j.check("cohort-after")

    success = page.locator(".messages .msg-success")
    assert success.count() == 1
    assert re.search(r"asistencia|attendance", success.inner_text(), re.IGNORECASE)
    delivery = page.locator("ol.schedule > li").filter(has=page.locator(f'a[href="{sheet_url}"]'))
    assert delivery.count() == 1
    assert "delivery-held" in delivery.get_attribute("class")
    assert delivery.locator(".badge.status-held").count() == 1

    delivery_id = int(re.search(r"/sesiones/(\d+)/", sheet_url).group(1))
    stored = dict(
        j.site.query(
            "SELECT enrollment_id, status FROM courses_attendancerecord WHERE delivery_id = ?",
            (delivery_id,),
        )
    )
    assert {pk: stored.get(pk) for pk in marked} == marked
    assert set(stored.values()) <= {"P", "L", "A", "E"}
    assert len(stored) == roster  # the untouched rows were saved as present
    [(held,)] = j.site.query(
        "SELECT status FROM courses_sessiondelivery WHERE id = ?", (delivery_id,)
    )
    assert held == "held"

    # The pages that carry the offline scripts stay within the budget as well.
    page.goto("/mis-grupos/sin-conexion/")
    j.check("device")
    page.goto(sheet_url + "?papel=1")
    j.check("paper-sheet")
