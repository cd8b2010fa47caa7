"""Journey (g): the cascade from the demo, on a 360 px phone. `activista` registers a community
group and records a session with counts and a photo, then another one with no connection; a
trainer of her site verifies it; the coordinator's reach and export show it; her progress and
the accreditor's acta show the supervised practice the course requires."""

import datetime as dt
import re
import zipfile

import pytest
from PIL import Image

from tests.helpers import ACTIVIST_BUDGET, SMALL_PHONE, TRAINER_BUDGET, pdf_text

pytestmark = pytest.mark.journey

PHONE_OPTIONS = {
    "viewport": SMALL_PHONE,
    "is_mobile": True,
    "has_touch": True,
    "timezone_id": "America/Lima",
}
WAIT_MS = 20_000
GROUP = "Jóvenes de Tablada de Lurín"
PRACTICE_COHORT = "Villa María del Triunfo 2026-II · Réplica supervisada"


def _replicas(site, group_id: int) -> list[tuple]:
    return site.query(
        "SELECT id, status, origin, photo, women_30_49, first_women_30_49 "
        "FROM courses_replicasession WHERE group_id = ? ORDER BY id",
        (group_id,),
    )


def _fill_replica(page, *, days_ago: int, photo=None) -> None:
    held_on = (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
    page.fill("#id_held_on", held_on)
    page.fill("#id_duration_minutes", "90")
    page.fill("#id_place", "Losa deportiva de Tablada")
    page.locator('input[name="sessions"]').first.check()
    page.fill("#id_women_30_49", "6")
    page.fill("#id_first_women_30_49", "4")
    page.fill("#id_men_18_29", "3")
    page.fill("#id_first_men_18_29", "2")
    if photo is not None:
        page.set_input_files("#id_photo", str(photo))


def test_the_cascade_from_a_group_to_the_reach_and_the_acta(journey, tmp_path):
    j = journey("cascade", budget=ACTIVIST_BUDGET, max_width=SMALL_PHONE["width"], **PHONE_OPTIONS)
    site, page = j.site, j.page
    photo = tmp_path / "reunion.jpg"
    Image.new("RGB", (1200, 900), (180, 90, 40)).save(photo, format="JPEG")

    # Weighed as a first visit downloads them (no service worker answering from its cache).
    weigh = j.new_page(service_workers="block", **PHONE_OPTIONS)
    j.login("activista", page=weigh)
    [(demo_group,)] = site.query(
        "SELECT id FROM courses_communitygroup WHERE name = 'Hombres de Nueva Esperanza'"
    )
    for step, url in [
        ("weigh-my-groups", "/mis-grupos-comunitarios/"),
        ("weigh-group-form", "/mis-grupos-comunitarios/nuevo/"),
        ("weigh-replica-form", f"/mis-grupos-comunitarios/{demo_group}/sesiones/nueva/"),
        ("weigh-my-courses", "/mis-cursos/"),
    ]:
        weigh.goto(url)
        assert j.check(step, page=weigh) > 10_000  # really weighed, under the budget
    weigh.context.close()

    # The activist registers a group of the course she practises.
    j.login("activista")
    page.locator('nav a[href$="/mis-grupos-comunitarios/"]').click()
    page.wait_for_url("**/mis-grupos-comunitarios/")
    j.check("my-groups")
    page.get_by_role("link", name="Registrar un grupo").click()
    page.wait_for_url("**/nuevo/")
    j.check("group-form")
    page.fill("#id_name", GROUP)
    page.select_option("#id_kind", "youth")
    [(district,)] = site.query("SELECT id FROM courses_district WHERE ubigeo = '150143'")
    page.select_option("#id_district", str(district))
    page.select_option("#id_cem", index=1)
    page.select_option("#id_course", label="Réplica comunitaria supervisada")
    page.fill("#id_start_date", (dt.date.today() - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Registrar el grupo").click()
    page.wait_for_url("**/mis-grupos-comunitarios/#group-*")
    j.check("group-registered")
    [(group_id,)] = site.query("SELECT id FROM courses_communitygroup WHERE name = ?", (GROUP,))

    # A session with counts and a photo, online (through the outbox, which sends it at once).
    card = page.locator(f"#group-{group_id}")
    card.get_by_role("link", name="Registrar una sesión").click()
    page.wait_for_url(f"**/{group_id}/sesiones/nueva/")
    assert page.locator("#photo-notice").is_visible()
    assert page.get_by_role("link", name="Guía para facilitar").count() >= 1
    j.check("replica-form")
    _fill_replica(page, days_ago=2, photo=photo)
    page.get_by_role("button", name="Guardar la sesión").click()
    page.wait_for_url("**/mis-grupos-comunitarios/#group-*", timeout=WAIT_MS)
    j.check("replica-recorded")
    [first] = _replicas(site, group_id)
    assert first[1:3] == ("pending", "device") and first[3].startswith("replicas/")
    assert first[4:] == (6, 4)

    # Prepared for no signal: the form of each group is kept; a session recorded offline
    # waits on the phone and is sent once when the connection is back.
    page.get_by_role("button", name="Preparar sin conexión").click()
    page.locator("#offline-status").filter(has_text=re.compile(r"^Preparado el")).wait_for(
        timeout=WAIT_MS
    )
    j.check("prepared", budget=0)
    page.goto(f"/mis-grupos-comunitarios/{group_id}/sesiones/nueva/")
    page.context.set_offline(True)
    page.reload()
    _fill_replica(page, days_ago=1)
    page.get_by_role("button", name="Guardar la sesión").click()
    page.locator("#replica-status").filter(has_text="guardada en este dispositivo").wait_for(
        timeout=WAIT_MS
    )
    assert len(_replicas(site, group_id)) == 1  # nothing reached the server yet
    page.context.set_offline(False)
    # A locator, not wait_for_function: its polling evaluates a string, which the CSP forbids.
    page.locator("#outbox-badge").wait_for(state="hidden", timeout=WAIT_MS)
    replicas = _replicas(site, group_id)
    assert len(replicas) == 2 and replicas[1][2] == "device"

    # A trainer of her site verifies the first one, photo in view.
    trainer = j.new_page(**PHONE_OPTIONS)
    j.login("facilitador", page=trainer)
    trainer.goto("/replicas/")
    j.check("to-verify", page=trainer, budget=TRAINER_BUDGET)
    trainer.goto(f"/replicas/{first[0]}/")
    assert trainer.locator("img.evidence").evaluate("img => img.naturalWidth") > 0
    j.check("replica-detail", page=trainer, budget=TRAINER_BUDGET)
    trainer.get_by_role("button", name="Verificar").click()
    trainer.wait_for_url("**/replicas/")
    assert _replicas(site, group_id)[0][1] == "verified"

    # Her progress: two verified sessions of the two the course requires.
    page.goto("/mis-cursos/")
    card = page.locator("article.enrollment").filter(has_text=PRACTICE_COHORT)
    assert "Práctica supervisada: 2 de 2 sesiones de réplica verificadas" in card.inner_text()
    j.check("progress")

    # The coordinator's reach and export show it.
    coordinator = j.new_page(**PHONE_OPTIONS)
    j.login("coordinadora", page=coordinator)
    coordinator.goto("/alcance/")
    assert coordinator.locator("svg.chart rect.bar").count() == 12
    assert "Villa María del Triunfo" in coordinator.locator("main").inner_text()
    j.check("reach", page=coordinator, budget=0)
    archive = j.download(
        coordinator.get_by_role("link", name="Descargar las sesiones de réplica (CSV)"),
        "replicas.zip",
        page=coordinator,
    )
    rows = zipfile.ZipFile(archive).read("replicas.csv").decode("utf-8-sig")
    [(uuid,)] = site.query("SELECT uuid FROM courses_replicasession WHERE id = ?", (first[0],))
    uuid = str(uuid)
    if "-" not in uuid:
        uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
    assert uuid in rows and "replicas/" not in rows

    # The accreditor's acta of the practice cohort states the requirement and her practice.
    accreditor = j.new_page(**PHONE_OPTIONS)
    j.login("acreditadora", page=accreditor)
    [(cohort,)] = site.query("SELECT id FROM courses_cohort WHERE name = ?", (PRACTICE_COHORT,))
    accreditor.goto(f"/acreditacion/grupos/{cohort}/")
    j.check("evidence", page=accreditor, budget=0)
    pdf = j.download(accreditor.locator('a[href$="/acta.pdf"]').first, "acta.pdf", page=accreditor)
    text, _reader = pdf_text(pdf.read_bytes())
    assert "Práctica supervisada: 2 sesiones de réplica con un grupo comunitario" in text
    assert "práctica: 2/2 réplicas verificadas · cumple" in text
