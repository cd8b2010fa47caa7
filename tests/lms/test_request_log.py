"""One line per request: method, route template, status, duration, user id; JSON on request."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lms.request_log import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "lms.request"]


def test_a_trainer_request_is_logged_with_its_route_template_and_user_id(
    client, cohort_setup, caplog
):
    trainer, cohort = cohort_setup["trainer"], cohort_setup["cohort"]
    client.force_login(trainer)
    with caplog.at_level(logging.INFO, logger="lms.request"):
        response = client.get(f"/grupos/{cohort.pk}/?orden=apellido")
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert (line.method, line.route, line.status, line.user_id) == (
        "GET",
        "/grupos/<int:cohort_id>/",
        200,
        trainer.pk,
    )
    assert line.duration_ms > 0
    message = line.getMessage()
    assert message.startswith("GET /grupos/<int:cohort_id>/ 200 ")
    assert message.endswith(f"ms user={trainer.pk}")
    for private in (trainer.username, trainer.first_name, f"/{cohort.pk}/", "apellido"):
        assert private not in message


def test_anonymous_and_unmatched_requests_have_no_user(client, home_page, caplog):
    with caplog.at_level(logging.INFO, logger="lms.request"):
        client.get("/no-existe/")
        client.get("/en/")
    unmatched, page = request_lines(caplog)
    assert unmatched.route == "/<page>" and unmatched.status == 404
    assert page.route == "/en/<page>" and page.status == 200
    assert unmatched.user_id is None and page.user_id is None


def test_json_lines_carry_the_fields():
    record = logging.makeLogRecord(
        {
            "name": "lms.request",
            "levelname": "INFO",
            "msg": "GET %s 200",
            "args": ("/panel/",),
            "route": "/panel/",
            "status": 200,
            "user_id": 7,
        }
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /panel/ 200"
    assert (entry["logger"], entry["level"], entry["route"], entry["user_id"]) == (
        "lms.request",
        "INFO",
        "/panel/",
        7,
    )


def test_log_format_json_configures_the_console_in_a_fresh_process():
    probe = (
        "import django, logging; django.setup(); "
        "logging.getLogger('lms.request').info('probe', extra={'route': '/x/'})"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN"}}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.dev", LOG_FORMAT="json")
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "probe" and entry["route"] == "/x/"
