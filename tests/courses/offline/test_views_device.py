"""What the device stores and how it is served: the prepared bundle, the stored pages, the
service worker at the root, the manifest, and the scripts only trainers' pages carry."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Cohort, SessionDelivery
from courses.offline.paper import sheet_code
from lms.roles import Role
from tests.factories import CohortFactory, EnrollmentFactory, SessionDeliveryFactory, person
from tests.helpers import en


@pytest.fixture
def schedule(cohort_setup):
    """Yesterday's, today's, next week's and a cancelled session of the trainer's cohort."""
    cohort, sessions, now = cohort_setup["cohort"], cohort_setup["sessions"], timezone.now()
    make = SessionDeliveryFactory
    return {
        "past": make(cohort=cohort, session=sessions[0], scheduled_at=now - dt.timedelta(days=1)),
        "today": make(cohort=cohort, session=sessions[1], scheduled_at=now),
        "next": make(cohort=cohort, session=sessions[2], scheduled_at=now + dt.timedelta(days=7)),
        "cancelled": make(
            cohort=cohort,
            session=sessions[3],
            scheduled_at=now + dt.timedelta(days=14),
            status=SessionDelivery.Status.CANCELLED,
        ),
    }


@pytest.fixture
def trainer_client(client, cohort_setup):
    client.force_login(cohort_setup["trainer"])
    return client


# The prepared bundle ------------------------------------------------------------------------


def test_the_bundle_has_todays_and_later_sessions_of_open_groups_and_their_pages(
    trainer_client, cohort_setup, course, schedule
):
    closed = CohortFactory(
        course=course,
        cem=cohort_setup["cem"],
        trainers=[cohort_setup["trainer"]],
        status=Cohort.Status.CLOSED,
    )
    SessionDeliveryFactory(cohort=closed, session=cohort_setup["sessions"][0])
    bundle = trainer_client.get(reverse("courses:offline_bundle")).json()
    assert bundle["user"] == cohort_setup["trainer"].pk
    [cohort] = bundle["cohorts"]
    assert cohort["id"] == cohort_setup["cohort"].pk
    sessions = [s["delivery"] for s in cohort["sessions"]]
    assert sessions == [schedule["today"].pk, schedule["next"].pk]
    today = cohort["sessions"][0]
    assert today["code"] == sheet_code(schedule["today"].pk)
    assert today["sheet_url"] == reverse(
        "courses:attendance_sheet", args=[cohort["id"], schedule["today"].pk]
    )
    assert today["guide_url"].endswith("/guia/")
    assert bundle["pages"][0] == reverse("courses:offline_device")
    assert set(bundle["pages"]) == {
        reverse("courses:offline_device"),
        *(s["sheet_url"] for s in cohort["sessions"]),
        *(s["guide_url"] for s in cohort["sessions"]),
    }
    for url in bundle["pages"]:  # every page it names can be stored
        assert trainer_client.get(url, headers={"X-Offline-Copy": "1"}).status_code == 200


def test_nothing_the_device_stores_holds_a_participant_code(trainer_client, cohort_setup, schedule):
    bundle = trainer_client.get(reverse("courses:offline_bundle"))
    pages = [
        trainer_client.get(url, headers={"X-Offline-Copy": "1"}) for url in bundle.json()["pages"]
    ]
    codes = [e.activist.profile.participant_code for e in cohort_setup["enrollments"]]
    for response in [bundle, *pages]:
        body = response.content.decode()
        assert not [code for code in codes if code in body], response.wsgi_request.path
    sheet = pages[1].content.decode()
    for enrollment in cohort_setup["enrollments"]:
        assert enrollment.activist.get_full_name() in sheet
        assert f'data-number="{enrollment.roster_number}"' in sheet


def test_the_bundle_is_read_in_a_fixed_number_of_queries(
    trainer_client, cohort_setup, course, schedule, django_assert_num_queries
):
    url = reverse("courses:offline_bundle")
    trainer_client.get(url)
    with CaptureQueriesContext(connection) as one_group:
        trainer_client.get(url)
    for _ in range(3):
        cohort = CohortFactory(
            course=course, cem=cohort_setup["cem"], trainers=[cohort_setup["trainer"]]
        )
        for session in cohort_setup["sessions"]:
            SessionDeliveryFactory(
                cohort=cohort,
                session=session,
                scheduled_at=timezone.now() + dt.timedelta(days=session.number),
            )
    with django_assert_num_queries(len(one_group)):
        assert len(trainer_client.get(url).json()["cohorts"]) == 4


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.ACTIVIST])
def test_only_people_who_run_sessions_get_a_bundle(client, db, role):
    client.force_login(person(role))
    assert client.get(reverse("courses:offline_bundle")).status_code == 403


# The stored pages ---------------------------------------------------------------------------


def test_a_stored_sheet_says_it_is_the_devices_copy_and_leaves_messages_for_later(
    trainer_client, cohort_setup, schedule
):
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, schedule["today"].pk)
    trainer_client.post(url, {"all_present": "1"})  # leaves "Attendance saved…" for the next page
    copy = trainer_client.get(url, headers={"X-Offline-Copy": "1"}).content.decode()
    assert "copy kept on this device" in copy
    assert 'data-seen-at="' in copy and 'data-sync-url="' in copy
    assert "Attendance saved" not in copy
    assert "<script>" not in copy and "onclick" not in copy and 'style="' not in copy
    normal = trainer_client.get(url).content.decode()
    assert "copy kept on this device" not in normal
    assert "Attendance saved" in normal


def test_a_stored_sheet_of_a_later_session_opens_on_its_day(trainer_client, cohort_setup, schedule):
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, schedule["next"].pk)
    online = trainer_client.get(url).content.decode()
    assert '<form method="post" class="sheet"' not in online
    copy = trainer_client.get(url, headers={"X-Offline-Copy": "1"}).content.decode()
    day = timezone.localdate(schedule["next"].scheduled_at).isoformat()
    assert re.search(
        rf'<form method="post" class="sheet" id="sheet" hidden data-opens-on="{day}"', copy
    )


def test_absences_announced_for_a_later_session_are_on_its_stored_sheet(
    trainer_client, cohort_setup, schedule
):
    from courses.services.attendance import absence_announce

    enrollment = cohort_setup["enrollments"][1]
    absence_announce(activist=enrollment.activist, delivery=schedule["next"], note="Viaje a Nauta")
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, schedule["next"].pk)
    copy = trainer_client.get(url, headers={"X-Offline-Copy": "1"}).content.decode()
    announced = copy.split("Absences announced ahead of time", 1)[1].split("</ul>", 1)[0]
    assert enrollment.activist.get_full_name() in announced and "Viaje a Nauta" in announced


def test_the_device_page_is_the_same_shell_for_every_trainer(client, cohort_setup):
    client.force_login(cohort_setup["trainer"])
    body = client.get(en("courses:offline_device")).content.decode()
    assert "Sheets waiting to be sent" in body and "device.js" in body
    client.force_login(person(Role.ACCREDITOR))
    assert client.get(en("courses:offline_device")).status_code == 403


# The service worker, the manifest and the scripts of trainers' pages ------------------------------


def test_the_service_worker_is_served_from_the_root_as_a_module_never_cached(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'from "/static/courses/offline/store.js"' in body
    assert re.search(r'const VERSION = "[0-9a-f]{16}";', body)
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", body).group(1))
    assert "/static/courses/attendance/sheet.js" in assets and "/static/css/site.css" in assets
    assert client.get("/en/sw.js").status_code == 404  # one worker, whatever the language


@pytest.mark.parametrize(
    ("prefix", "start", "name"),
    [("", "/mis-grupos/", "Formación CEM"), ("/en", "/en/mis-grupos/", "CEM training")],
)
def test_the_manifest_is_in_the_pages_language(client, db, prefix, start, name):
    response = client.get(f"{prefix}/app.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == start
    assert manifest["scope"] == "/"
    assert manifest["name"] == name
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_trainers_pages_carry_the_offline_scripts_and_activists_pages_none(client, cohort_setup):
    client.force_login(cohort_setup["trainer"])
    body = client.get(reverse("courses:my_cohorts")).content.decode()
    assert "courses/offline/boot.js" in body and "courses/offline/prepare.js" in body
    assert 'rel="manifest"' in body and 'id="outbox-badge"' in body
    config = json.loads(
        re.search(
            r'<script id="offline-config" type="application/json">(.*?)</script>', body
        ).group(1)
    )
    assert config["user"] == cohort_setup["trainer"].pk and config["csrf"]
    assert config["strings"]["badge"]["other"] == "%(count)s hojas por enviar"
    client.force_login(cohort_setup["enrollments"][0].activist)
    body = client.get(reverse("courses:my_courses")).content.decode()
    assert "offline" not in body and "<script" not in body and 'rel="manifest"' not in body


def test_pages_say_who_is_signed_in_so_the_device_drops_anothers_rosters(client, cohort_setup):
    assert client.get("/")["X-Offline-Account"] == "0"
    client.force_login(cohort_setup["trainer"])
    response = client.get(reverse("courses:my_cohorts"))
    assert response["X-Offline-Account"] == str(cohort_setup["trainer"].pk)


def test_a_full_groups_sheet_with_its_scripts_and_stylesheet_stays_under_100_kb(
    client, cohort_setup, schedule
):
    """What a first visit downloads, uncompressed: the page, the stylesheet and every module
    the page loads (the browser fetches the imports too)."""
    cohort = cohort_setup["cohort"]
    for _ in range(40 - len(cohort_setup["enrollments"])):
        EnrollmentFactory(cohort=cohort)
    client.force_login(cohort_setup["trainer"])
    html = client.get(reverse("courses:attendance_sheet", args=[cohort.pk, schedule["today"].pk]))
    body = html.content.decode()
    assert body.count('class="mark"') == 40
    files = {"css/site.css", "courses/attendance/sheet.js"} | {
        f"courses/offline/{name}.js" for name in ("boot", "store", "sync", "dialogs")
    }
    size = {name: Path(finders.find(name)).stat().st_size for name in files}
    scripts = sum(bytes_ for name, bytes_ in size.items() if name.endswith(".js"))
    total = len(html.content) + sum(size.values())
    assert scripts <= 30 * 1024, scripts
    assert total <= 100 * 1024, total
    print(f"40-person sheet: page {len(html.content)} B, scripts {scripts} B, total {total} B")
