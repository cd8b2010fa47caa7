"""The production path end to end: gunicorn with lms.settings.production over TLS on
PostgreSQL, with Redis and a Celery worker; a trainer saves a sheet, a coordinator issues a
certificate that the worker renders, and /health/ reports every part."""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from pypdf import PdfReader

from certificates.models import Certificate
from courses.models import AttendanceRecord
from lms.roles import Role
from tests.factories import EnrollmentFactory, hold_sessions, person
from tests.servers import (
    Browser,
    database_url,
    free_port,
    redis_server,
    require_postgresql,
    self_signed_certificate,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "una clave larga de prueba"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def with_password(user):
    """Production hashes with PBKDF2 (the suite's fast MD5 hasher is not accepted there)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def programme(cohort_setup):
    """A cohort whose four sessions were held: six activists attended all, three none."""
    cohort = cohort_setup["cohort"]
    attended = [EnrollmentFactory(cohort=cohort) for _ in range(6)]
    marks = {e: list("PPPP") for e in attended} | {
        e: list("AAAA") for e in cohort_setup["enrollments"]
    }
    deliveries = hold_sessions(cohort, cohort_setup["sessions"], marks, days_ago_start=40)
    coordinator = person(Role.COORDINATOR, site_=cohort.cem.site)
    return {
        "cohort": cohort,
        "last_delivery": deliveries[-1],
        "absent": cohort_setup["enrollments"],
        "trainer": with_password(cohort_setup["trainer"]),
        "coordinator": with_password(coordinator),
    }


def production_env(tmp_path: Path, redis_url: str, port: int, cert: Path, key: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-secret-for-this-test-only-0123456789",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        STATIC_ROOT=str(tmp_path / "static"),
        BASE_URL=f"https://localhost:{port}",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        # A keyring of its own: production refuses to start without credential signing keys.
        CREDENTIALS_KEY_FILE=str(tmp_path / "signing-keys.pem"),
        GUNICORN_CERTFILE=str(cert),
        GUNICORN_KEYFILE=str(key),
        GUNICORN_ACCESS_LOG="",
        LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    return env


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def test_gunicorn_redis_and_a_worker_serve_the_trainer_and_the_coordinator(programme, tmp_path):
    require_postgresql()
    cohort = programme["cohort"]
    port = free_port()
    cert, key = self_signed_certificate(tmp_path)
    with redis_server() as redis_url:
        env = production_env(tmp_path, redis_url, port, cert, key)
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert collected.returncode == 0, collected.stderr
        keys = subprocess.run(
            [sys.executable, "manage.py", "credentials_keys", "create"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert keys.returncode == 0, keys.stderr
        web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
        web = start(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"], env, web_log
        )
        worker = start(
            [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-l", "info"],
            env,
            worker_log,
        )
        try:
            wait_for_port(port, timeout=60, process=web)
            base = f"https://localhost:{port}"

            # The probe on the machine itself: another host name, no login.
            probe = Browser(f"https://127.0.0.1:{port}", cert)
            status, _headers, body = probe.get("/health/")
            assert status == 200, body
            checks = json.loads(body)["checks"]
            assert {name: part["status"] for name, part in checks.items()} == {
                "database": "ok",
                "cache": "ok",
                "broker": "ok",
                "storage": "ok",
            }
            assert (checks["database"]["backend"], checks["cache"]["backend"]) == (
                "postgresql",
                "redis",
            )

            trainer = Browser(base, cert)
            trainer.log_in(programme["trainer"].username, PASSWORD)
            assert any("Secure" in h for h in trainer.set_cookie_headers if "sessionid" in h)
            delivery = programme["last_delivery"]
            sheet = f"/grupos/{cohort.pk}/sesiones/{delivery.pk}/asistencia/"
            marks = {f"status-{e.pk}": "P" for e in cohort.enrollments.all()}
            status, headers, _ = trainer.submit(sheet, marks)
            assert status == 302, status
            saved = AttendanceRecord.objects.filter(
                delivery=delivery, enrollment__in=programme["absent"]
            )
            assert sorted(saved.values_list("status", flat=True)) == ["P", "P", "P"]

            coordinator = Browser(base, cert)
            coordinator.log_in(programme["coordinator"].username, PASSWORD)
            issued = coordinator.submit(f"/grupos/{cohort.pk}/certificados/", {"action": "issue"})
            assert issued[0] == 302
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and (
                not Certificate.objects.exists() or Certificate.objects.filter(pdf="").exists()
            ):
                time.sleep(0.25)
        finally:
            stop(web)
            stop(worker)
    certificates = list(Certificate.objects.all())
    assert len(certificates) == 6, worker_log.read_text()[-3000:]
    assert all(c.pdf for c in certificates), worker_log.read_text()[-3000:]
    pdf = (Path(settings.MEDIA_ROOT) / certificates[0].pdf.name).read_bytes()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert certificates[0].code in text and f"https://localhost:{port}/verificar/" in text

    requests = [
        json.loads(line) for line in web_log.read_text().splitlines() if '"lms.request"' in line
    ]
    sheet_post = [r for r in requests if r["method"] == "POST" and "asistencia" in r["route"]]
    assert sheet_post and sheet_post[0]["status"] == 302
    assert sheet_post[0]["user_id"] == programme["trainer"].pk
    assert sheet_post[0]["route"] == (
        "/grupos/<int:cohort_id>/sesiones/<int:delivery_id>/asistencia/"
    )
