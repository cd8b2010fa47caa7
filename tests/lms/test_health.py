"""/health/ reports each part, names what fails, and answers before redirects and host checks."""

import socket

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def dead_redis_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens there once the socket is closed


def test_reports_every_part_and_an_unconfigured_broker_as_such(client):
    response = client.get("/health/")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["failing"] == []
    checks = report["checks"]
    assert set(checks) == {"database", "cache", "broker", "storage"}
    assert checks["database"]["status"] == "ok"
    assert checks["cache"] == checks["cache"] | {"status": "ok", "backend": "db"}
    assert checks["broker"]["status"] == "not_configured"
    assert checks["storage"]["status"] == "ok"
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_a_down_cache_answers_503_naming_it(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.ResilientRedisCache",
            "LOCATION": dead_redis_url(),
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    try:
        response = client.get("/health/")
    finally:
        caches["default"].close()
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "failing"
    assert report["failing"] == ["cache"]
    assert report["checks"]["cache"]["error"] == "ConnectionError"
    assert "127.0.0.1" not in response.content.decode()  # no internal details in the answer


def test_a_down_broker_answers_503_naming_it(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = dead_redis_url()
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_a_missing_media_folder_answers_503_naming_it(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "gone")},
        },
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


def test_answers_before_the_https_redirect_and_the_host_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["formacion.example.org"]
    probe = client.get("/health/", HTTP_HOST="127.0.0.1:8000")
    assert probe.status_code == 200
    page = client.get("/buscar/", HTTP_HOST="formacion.example.org")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")
