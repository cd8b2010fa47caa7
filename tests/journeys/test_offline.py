"""Journey (f): a trainer in Iquitos prepares her phone, records a session with no connection and
finds it saved once when the phone is online again; a replayed sheet changes nothing, and a
coordinator's edit made meanwhile is never lost. Then: unsent sheets survive sign-out and are
sent only under the account that recorded them."""

import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import SMALL_PHONE, TRAINER_BUDGET

pytestmark = pytest.mark.journey

COHORT = "Iquitos 2026-II"
TRAINER = "facilitadora-iquitos"
PHONE_OPTIONS = {
    "viewport": SMALL_PHONE,
    "is_mobile": True,
    "has_touch": True,
    "timezone_id": "America/Lima",
}
WAIT_MS = 20_000
LIMA = ZoneInfo("America/Lima")


def _schedule(site) -> tuple[int, int, int]:
    """The cohort, today's session (the demo's running cohort meets today) and the next one."""
    [(cohort,)] = site.query("SELECT id FROM courses_cohort WHERE name = ?", (COHORT,))
    midnight = datetime.now(LIMA).replace(hour=0, minute=0, second=0, microsecond=0)
    today, after = [
        pk
        for (pk,) in site.query(
            "SELECT id FROM courses_sessiondelivery WHERE cohort_id = ? AND scheduled_at >= ?"
            " AND status != 'cancelled' ORDER BY scheduled_at LIMIT 2",
            (cohort, midnight.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")),
        )
    ]
    return cohort, today, after


def _marks(site, delivery: int) -> dict[int, str]:
    return dict(
        site.query(
            "SELECT enrollment_id, status FROM courses_attendancerecord WHERE delivery_id = ?",
            (delivery,),
        )
    )


def _count(site, sql: str, *params) -> int:
    return site.query(sql, params)[0][0]


def _row_of(page, index: int):
    row = page.locator("ol.marks > li").nth(index)
    enrollment = int(row.locator("fieldset").get_attribute("data-enrollment"))
    return row, enrollment


def _save(page):
    page.get_by_role("button", name=re.compile(r"Guardar asistencia")).first.click()


def _stored_on_device(page) -> dict:
    """Every page the device keeps (its text) and the prepared record, read in the browser."""
    return page.evaluate(
        """async () => {
          const cache = await caches.open("cem-pages");
          const pages = {};
          for (const request of await cache.keys()) {
            pages[request.url] = await (await cache.match(request)).text();
          }
          const db = await new Promise((ok, fail) => {
            const open = indexedDB.open("cem-offline");
            open.onsuccess = () => ok(open.result);
            open.onerror = () => fail(open.error);
          });
          const all = (name) => new Promise((ok) => {
            const request = db.transaction(name).objectStore(name).getAll();
            request.onsuccess = () => ok(request.result);
          });
          return { pages, prepared: await all("prepared"), outbox: await all("outbox") };
        }"""
    )


def _wait_for_badge(page, pattern: str | None) -> None:
    """The outbox badge shows `pattern`, or is hidden when `pattern` is None."""
    badge = page.locator("#outbox-badge")
    if pattern is None:
        badge.wait_for(state="hidden", timeout=WAIT_MS)  # no eval: the page's CSP forbids it
    else:
        badge.filter(has_text=re.compile(pattern)).wait_for(state="visible", timeout=WAIT_MS)


def test_a_session_recorded_without_connection_is_saved_once_and_never_overwrites(journey):
    j = journey("offline", budget=TRAINER_BUDGET, max_width=SMALL_PHONE["width"], **PHONE_OPTIONS)
    site = j.site
    cohort, today, after = _schedule(site)
    device_entries = (  # noqa: E731 (read twice, far apart)
        lambda: _count(
            site,
            "SELECT COUNT(*) FROM lms_auditlogentry"
            " WHERE origin = 'device' AND device_time IS NOT NULL",
        )
    )
    demo_device_entries = device_entries()  # the demo's replica sessions sent from phones
    codes = [
        code
        for (code,) in site.query(
            "SELECT p.participant_code FROM lms_participantprofile p"
            " JOIN courses_enrollment e ON e.activist_id = p.user_id WHERE e.cohort_id = ?",
            (cohort,),
        )
    ]

    # An activist says ahead of time she will miss next week's session.
    activist = j.new_page(**PHONE_OPTIONS)
    j.login("activista-iquitos", page=activist)
    activist.goto("/mis-cursos/")
    announce = activist.locator(f'form[action$="/mis-cursos/sesiones/{after}/ausencia/"]')
    announce.locator("summary").click()
    announce.locator("textarea").fill("Viaje a Nauta")
    announce.get_by_role("button").click()
    activist.wait_for_load_state()
    j.check("activist-announced", page=activist)
    activist_name = site.full_name("activista-iquitos")

    # Online, the trainer prepares her phone on "Mis grupos".
    page = j.page
    j.login(TRAINER)
    page.goto("/mis-grupos/")
    j.check("my-groups")
    page.get_by_role("button", name="Preparar sin conexión").click()
    page.locator("#offline-status").filter(has_text=re.compile(r"^Preparado el")).wait_for(
        timeout=WAIT_MS
    )
    # What preparing downloads is the stored pages, not this page: weighed, not budgeted.
    j.check("my-groups-prepared", budget=0)
    stored = _stored_on_device(page)
    sheet_url = f"/grupos/{cohort}/sesiones/{today}/asistencia/"
    urls = [re.sub(r"^https?://[^/]+", "", url) for url in stored["pages"]]
    assert sheet_url in urls and f"/grupos/{cohort}/sesiones/{after}/asistencia/" in urls
    assert any(url.endswith("/guia/") for url in urls)
    assert all("/cuestionarios/" not in url and "/analitica/" not in url for url in urls)
    everything = json.dumps(stored, ensure_ascii=False)
    assert not [code for code in codes if code in everything], "a participant code was stored"
    assert site.full_name("activista-iquitos") in everything  # names are, for the roster

    # The sheet opened online, then the connection goes: a reload comes from the device.
    page.goto(sheet_url)
    j.check("sheet-online")
    page.context.set_offline(True)
    page.reload()
    assert page.locator("[data-offline-copy]").is_visible()
    j.check("sheet-offline")
    absent = {}
    for index in (0, 1):
        row, enrollment = _row_of(page, index)
        row.locator("label.st-A").tap()
        absent[enrollment] = "A"
    _save(page)
    page.locator("#sheet-status").filter(has_text="Guardada en este dispositivo").wait_for()
    _wait_for_badge(page, r"^1 hoja por enviar$")
    j.check("sheet-kept-on-device")
    assert _marks(site, today) == {}  # nothing reached the server yet
    page.get_by_role("button", name="Salir").click()  # signing out needs the server
    page.locator("dialog.ask", has_text="Para salir se necesita conexión").wait_for()
    page.locator("dialog.ask").get_by_role("button", name="Volver").click()
    assert len(_stored_on_device(page)["outbox"]) == 1

    # Still offline: the device's page lists it; next week's sheet shows the announced absence.
    page.locator("#outbox-badge").click()
    page.wait_for_url("**/mis-grupos/sin-conexion/")
    page.locator(".sheet-item.state-waiting").wait_for()
    j.check("device-offline")
    next_week = page.locator(f'a[href="/grupos/{cohort}/sesiones/{after}/asistencia/"]')
    next_week.click()
    page.wait_for_url(f"**/sesiones/{after}/asistencia/")
    announced = page.locator("ul.announced")
    assert activist_name in announced.inner_text() and "Viaje a Nauta" in announced.inner_text()
    j.check("next-sheet-offline")
    page.get_by_role("link", name="Guía para facilitar").first.click()
    page.wait_for_url("**/guia/")
    assert page.locator(".guide-session").count() == 1
    j.check("guide-offline")
    [waiting] = _stored_on_device(page)["outbox"]

    # Online again: the waiting sheet is sent by itself, and saved exactly once.
    page.context.set_offline(False)
    _wait_for_badge(page, None)
    marks = _marks(site, today)
    roster = page.evaluate("document.querySelectorAll('ol.marks > li').length") or len(marks)
    assert len(marks) == len(waiting["marks"]) >= 2
    assert {pk: marks[pk] for pk in absent} == absent
    assert set(marks.values()) == {"A", "P"}
    assert roster >= 2
    counts = lambda: (  # noqa: E731
        _count(site, "SELECT COUNT(*) FROM courses_attendancerecord WHERE delivery_id = ?", today),
        _count(site, "SELECT COUNT(*) FROM courses_sheetreceipt"),
        _count(site, "SELECT COUNT(*) FROM lms_auditlogentry"),
    )
    before = counts()
    assert before[1] == 1
    assert (
        device_entries() == demo_device_entries + len(marks) + 2
    )  # each mark, the session marked held, the receipt

    # The same request again: "already received", nothing changes.
    replay = page.evaluate(
        """async (sheet) => {
          const config = JSON.parse(document.getElementById("offline-config").textContent);
          const response = await fetch(sheet.syncUrl, {
            method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRFToken": config.csrf},
            body: JSON.stringify({uuid: sheet.uuid, recorded_by: sheet.user, origin: sheet.origin,
              device_time: sheet.savedAt, seen_at: sheet.seenAt, marks: sheet.marks}),
          });
          return {status: response.status, body: await response.json()};
        }""",
        waiting,
    )
    assert (replay["status"], replay["body"]["status"]) == (200, "already_received")
    assert counts() == before

    # Offline again, the trainer changes a mark; meanwhile the coordinator, online, changes it.
    coordinator = j.new_page(**PHONE_OPTIONS)
    j.login("coordinadora", page=coordinator)
    page.context.set_offline(True)
    page.goto(sheet_url)
    row, disputed = _row_of(page, 2)
    row.locator("label.st-L").tap()
    _save(page)
    _wait_for_badge(page, r"^1 hoja por enviar$")
    coordinator.goto(sheet_url)
    row_there = coordinator.locator(f'fieldset[data-enrollment="{disputed}"]')
    row_there.locator("label.st-E").click()
    coordinator.get_by_role("button", name=re.compile(r"Guardar asistencia")).first.click()
    coordinator.wait_for_url(re.compile(r"/grupos/\d+/(#schedule)?$"))
    j.check("coordinator-saved", page=coordinator)
    assert _marks(site, today)[disputed] == "E"

    # Back online: the server answers with both versions; the trainer chooses hers.
    page.context.set_offline(False)
    _wait_for_badge(page, r"requiere tu atención")
    assert _marks(site, today)[disputed] == "E"  # nothing overwritten silently
    page.locator("#outbox-badge").click()
    page.wait_for_url("**/mis-grupos/sin-conexion/**")
    choice = page.locator("form.conflict fieldset")
    assert choice.count() == 1
    text = choice.inner_text()
    assert "En este dispositivo: Tardanza" in text
    assert "En el servidor: Justificada" in text and site.full_name("coordinadora") in text
    j.check("conflict-choice")
    choice.get_by_label(re.compile(r"En este dispositivo")).check()
    page.get_by_role("button", name="Enviar con estas elecciones").click()
    _wait_for_badge(page, None)
    assert _marks(site, today)[disputed] == "L"
    [(actor,)] = site.query(
        "SELECT u.username FROM lms_auditlogentry a JOIN auth_user u ON u.id = a.actor_id"
        " WHERE a.content_type_id = (SELECT id FROM django_content_type"
        "   WHERE app_label = 'courses' AND model = 'attendancerecord')"
        " ORDER BY a.id DESC LIMIT 1"
    )
    assert actor == TRAINER
    j.check("device-after-choice")

    # Signing out wipes what was prepared (nothing was left to send).
    page.get_by_role("button", name="Salir").click()
    page.wait_for_url(f"{site.url}/")
    left = _stored_on_device(page)
    assert left["pages"] == {} and left["prepared"] == [] and left["outbox"] == []


def test_an_unsent_sheet_waits_through_sign_out_for_its_own_account(journey):
    """Without a service worker (no Background Sync) and with the endpoint unreachable, a sheet
    stays on the device; another trainer signing in on the same phone never sends it."""
    j = journey(
        "offline-accounts",
        budget=TRAINER_BUDGET,
        max_width=SMALL_PHONE["width"],
        service_workers="block",
        **PHONE_OPTIONS,
    )
    site, page = j.site, j.page
    cohort, today, _ = _schedule(site)
    sheet_url = f"/grupos/{cohort}/sesiones/{today}/asistencia/"
    j.login(TRAINER)
    page.goto(sheet_url)
    j.check("sheet")
    row, enrollment = _row_of(page, 3)
    before = _marks(site, today).get(enrollment)
    wanted = "E" if before != "E" else "L"
    row.locator(f"label.st-{wanted}").tap()
    page.route("**/asistencia/enviar/", lambda route: route.abort("internetdisconnected"))
    _save(page)
    page.locator("#sheet-status").filter(has_text="Guardada en este dispositivo").wait_for()
    _wait_for_badge(page, r"^1 hoja por enviar$")

    # Signing out: told how many are unsent; discarding needs a second answer.
    page.get_by_role("button", name="Salir").click()
    dialog = page.locator("dialog.ask")
    dialog.wait_for()
    assert "1 hoja no se ha enviado" in dialog.inner_text()
    j.check("sign-out-question")
    dialog.get_by_role("button", name="Descartar…").click()
    page.locator("dialog.ask", has_text="¿Descartar 1 hoja?").wait_for()
    page.locator("dialog.ask").get_by_role("button", name="Volver").click()
    assert page.locator("dialog.ask").count() == 0
    assert len(_stored_on_device(page)["outbox"]) == 1
    page.get_by_role("button", name="Salir").click()
    page.locator("dialog.ask").get_by_role("button", name="Conservar y salir").click()
    page.wait_for_url(f"{site.url}/")
    stored = _stored_on_device(page)
    assert len(stored["outbox"]) == 1 and stored["pages"] == {} and stored["prepared"] == []
    page.unroute("**/asistencia/enviar/")

    # Another trainer on the same phone: the sheet is not theirs to send.
    j.login("facilitador")
    page.goto("/mis-grupos/sin-conexion/")
    page.locator("#outbox").filter(has_text="registrada con otra cuenta").wait_for()
    assert page.locator("#outbox-badge").is_hidden()
    j.check("other-account")
    assert _marks(site, today).get(enrollment) == before
    page.get_by_role("button", name="Salir").click()
    page.wait_for_url(f"{site.url}/")

    # Its own account signs in again (a fresh CSRF token): the sheet goes, once.
    j.login(TRAINER)
    _wait_for_badge(page, None)
    assert _marks(site, today)[enrollment] == wanted
    assert _stored_on_device(page)["outbox"] == []
