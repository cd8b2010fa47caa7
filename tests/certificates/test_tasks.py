"""A real redis-server and a real Celery worker process render a cohort's certificates."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate
from tests.factories import EnrollmentFactory, hold_sessions
from tests.helpers import ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{binary} is required in CI and was not found")
        pytest.skip(f"{binary} is not installed on this machine")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def process_env(redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BASE_URL="https://formacion.example.org",
    )
    return env


@pytest.fixture
def redis_url():
    binary = require("redis-server")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def eligible_cohort(cohort_setup, course):
    sessions = cohort_setup["sessions"]
    cohort = cohort_setup["cohort"]
    people = [EnrollmentFactory(cohort=cohort) for _ in range(6)]
    marks = {p: list("PPPP") for p in people} | {
        e: list("AAAA") for e in cohort_setup["enrollments"]
    }
    hold_sessions(cohort, sessions, marks, days_ago_start=40)
    return cohort, people


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bulk_issuance_is_rendered_by_a_real_worker(redis_url, eligible_cohort):
    cohort, people = eligible_cohort
    env = process_env(redis_url)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        issued = manage("issue_certificates", str(cohort.pk), env=env)
        assert issued.returncode == 0, issued.stderr
        assert "Issued 6" in issued.stdout
        deadline = time.monotonic() + 90
        while Certificate.objects.filter(pdf="").exists() and time.monotonic() < deadline:
            time.sleep(0.25)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    certificates = list(Certificate.objects.all())
    assert len(certificates) == 6, output
    assert all(c.pdf for c in certificates), output
    for certificate in certificates:
        path = Path(settings.MEDIA_ROOT) / certificate.pdf.name
        text = PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()
        assert certificate.code in text and certificate.full_name in text
        assert "https://formacion.example.org/verificar/" in text


def mail_env(env: dict) -> dict:
    """E-mail written to the command's output, one "Subject:" line each."""
    return env | {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def mails(*runs: subprocess.CompletedProcess) -> int:
    return sum(run.stdout.count("\nSubject: ") for run in runs)


def test_issued_while_redis_is_down_the_pdfs_come_when_it_returns(eligible_cohort, redis_url):
    cohort, people = eligible_cohort
    down = mail_env(process_env(f"redis://127.0.0.1:{free_port()}/0"))  # nobody listens there
    issued = manage("issue_certificates", str(cohort.pk), env=down)
    assert issued.returncode == 0, issued.stderr
    assert Certificate.objects.count() == 6
    assert Certificate.objects.filter(pdf="").count() == 6
    # Redis is back: the periodic job (beat, or cron's run_periodic) renders and tells.
    Certificate.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    back = mail_env(process_env(redis_url))
    job = manage("run_periodic", "--job", "render-missing-certificate-pdfs", env=back)
    assert job.returncode == 0, job.stderr
    assert "render-missing-certificate-pdfs: done: 6" in job.stdout
    assert not Certificate.objects.filter(pdf="").exists()
    again = manage("run_periodic", "--job", "render-missing-certificate-pdfs", env=back)
    assert "done: 0" in again.stdout
    assert mails(issued, job, again) == 6  # each holder told once, when her PDF came


def test_the_catch_up_command_restamps_revoked_pdfs_and_restores_lost_files(eligible_cohort):
    require("redis-server")  # same requirements as the worker test, for symmetry in CI
    cohort, people = eligible_cohort
    env = mail_env(process_env(f"redis://127.0.0.1:{free_port()}/0"))
    assert manage("issue_certificates", str(cohort.pk), env=env).returncode == 0
    first = manage("render_pending_certificates", env=env)
    assert "Rendered 6" in first.stdout
    revoked, lost = Certificate.objects.order_by("pk")[:2]
    Certificate.objects.filter(pk=revoked.pk).update(
        status="revoked", revoked_at=timezone.now(), revoked_reason="Error de nombre"
    )
    (Path(settings.MEDIA_ROOT) / lost.pdf.name).unlink()
    rendered = manage("render_pending_certificates", env=env)
    assert rendered.returncode == 0, rendered.stderr
    assert "Rendered 2 certificate(s) (1 with a missing file)" in rendered.stdout
    revoked.refresh_from_db()
    assert revoked.pdf_status == "revoked"
    assert (Path(settings.MEDIA_ROOT) / lost.pdf.name).exists()
    again = manage("render_pending_certificates", env=env)
    assert "Rendered 0 certificate(s)" in again.stdout and "told 0 holder(s)" in again.stdout
    assert mails(first, rendered, again) == 6  # each holder told once
