"""The periodic-job registry feeds Celery beat and `manage.py run_periodic`."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from lms.celery import app
from lms.periodic import PeriodicJob, beat_schedule, periodic_jobs, register

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_JOBS = {
    "clear-expired-sessions",
    "render-missing-certificate-pdfs",
    "recover-certificate-files",
    "send-unsent-account-links",
}


def test_every_registered_job_is_scheduled_with_a_registered_task():
    app.loader.import_default_modules()
    schedule = beat_schedule()
    assert set(schedule) >= EXPECTED_JOBS
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, name
        assert entry["schedule"] >= 60
    assert schedule["render-missing-certificate-pdfs"]["schedule"] == 5 * 60


def test_a_taken_name_is_refused_for_a_different_job():
    [job] = [job for job in periodic_jobs() if job.name == "clear-expired-sessions"]
    assert register(job) is job  # the same job again (a module imported twice) is fine
    with pytest.raises(ValueError, match="already registered"):
        register(PeriodicJob(name=job.name, task="x.y", every=job.every, description="other"))
    with pytest.raises(ValueError, match="once a minute"):
        PeriodicJob(name="too-often", task="x.y", every=timedelta(seconds=5), description="")


def test_celery_beat_runs_the_registry_schedule(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'beat.sqlite3'}",
        REDIS_URL="",
    )
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "beat", "--loglevel=debug"]
        + ["--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 60
    try:
        for line in beat.stdout:
            lines.append(line)
            if "Ticking with max interval" in line or time.monotonic() > deadline:
                break
    finally:
        beat.terminate()
        beat.wait(10)
    output = "".join(lines)
    for name in EXPECTED_JOBS:
        assert f"<ScheduleEntry: {name} " in output, output


@pytest.mark.django_db
def test_run_periodic_runs_every_job_once(capsys):
    call_command("run_periodic")
    out = capsys.readouterr().out
    assert "clear-expired-sessions: done" in out
    assert "render-missing-certificate-pdfs: done: 0" in out


@pytest.mark.django_db
def test_run_periodic_names_an_unknown_job():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown periodic job: nope"):
        call_command("run_periodic", job=["nope"])
