"""Media on an S3-compatible bucket, configured from the environment, against moto's S3 server
started by the test: PDFs are stored in and served from the bucket, backed up through the
storage API, and a missing bucket shows in /health/."""

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from certificates.documents.services import certificate_render
from certificates.issuance.services import certificates_issue
from certificates.models import Certificate
from lms.settings.base import media_storage_from_env
from tests.factories import EnrollmentFactory, hold_sessions

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "formacion-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_env():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline, "moto's S3 server did not start"
            time.sleep(0.1)
        env = {
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": "test-key",
            "MEDIA_S3_SECRET_ACCESS_KEY": "test-secret",
        }
        bucket_client(env).create_bucket(Bucket=BUCKET)
        yield env
    finally:
        server.terminate()
        server.wait(10)


def bucket_client(env: dict):
    return boto3.client(
        "s3",
        endpoint_url=env["MEDIA_S3_ENDPOINT_URL"],
        region_name=env["MEDIA_S3_REGION"],
        aws_access_key_id=env["MEDIA_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["MEDIA_S3_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def s3_media(s3_env, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "local-media")
    settings.STORAGES = {**settings.STORAGES, "default": media_storage_from_env(s3_env)}
    return s3_env


@pytest.fixture
def rendered_certificate(cohort_setup, s3_media) -> Certificate:
    cohort = cohort_setup["cohort"]
    activist = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, cohort_setup["sessions"], {activist: list("PPPP")}, days_ago_start=40)
    [certificate] = certificates_issue(actor=None, cohort=cohort)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


@pytest.mark.django_db
def test_pdfs_are_stored_in_and_served_from_the_bucket(client, rendered_certificate, s3_media):
    stored = bucket_client(s3_media).get_object(Bucket=BUCKET, Key=rendered_certificate.pdf.name)
    in_bucket = stored["Body"].read()
    assert rendered_certificate.code in PdfReader(io.BytesIO(in_bucket)).pages[0].extract_text()

    client.force_login(rendered_certificate.enrollment.activist)
    response = client.get(f"/certificados/{rendered_certificate.code}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == in_bucket

    health = client.get("/health/").json()["checks"]["storage"]
    assert health == health | {"status": "ok", "backend": "S3Storage"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_reads_the_media_from_the_bucket(rendered_certificate, s3_media, tmp_path):
    call_command("backup", out=tmp_path / "backup", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    names = [entry["name"] for entry in manifest["media"]]
    assert rendered_certificate.pdf.name in names
    copied = (tmp_path / "backup" / "media" / rendered_certificate.pdf.name).read_bytes()
    assert copied == rendered_certificate.pdf.open("rb").read()
    assert not (tmp_path / "local-media").exists()  # nothing a second machine would miss


@pytest.mark.django_db
def test_a_missing_bucket_fails_the_storage_check(client, s3_env, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage_from_env(s3_env | {"MEDIA_S3_BUCKET": "no-such-bucket"}),
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


def test_the_environment_chooses_the_bucket_in_a_fresh_process(s3_env):
    probe = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['default']; print(type(s).__name__, s.bucket_name, s.endpoint_url)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(s3_env, DJANGO_SETTINGS_MODULE="lms.settings.dev")
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["S3Storage", BUCKET, s3_env["MEDIA_S3_ENDPOINT_URL"]]
