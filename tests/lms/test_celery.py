"""The Celery app configures itself from the environment, in a fresh process each time."""

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

PROBE = (
    "import json; from lms.celery import app; import django; django.setup(); "
    "print(json.dumps({'broker': app.conf.broker_url, 'eager': app.conf.task_always_eager, "
    "'acks_late': app.conf.task_acks_late}))"
)


def celery_config(**env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update(env, DJANGO_SETTINGS_MODULE="lms.settings.dev")
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("redis_url", ["redis://127.0.0.1:6379/0", "redis://cache.internal:6380/3"])
def test_uses_redis_as_broker_when_redis_url_is_set(redis_url):
    config = celery_config(REDIS_URL=redis_url)
    assert config["broker"] == redis_url
    assert config["eager"] is False
    assert config["acks_late"] is True


def test_runs_tasks_eagerly_without_redis_url():
    config = celery_config()
    assert config["eager"] is True
    assert config["broker"] == "memory://"
