"""When the suite runs on PostgreSQL (CI), the tests that must also hold on the embedded
default (SQLite, what `make run` uses) run again there, in one pytest process of their own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
ON_BOTH_DATABASES = [
    "tests/courses/test_concurrent_attendance.py",
    "tests/lms/test_backup.py",
]


@pytest.mark.django_db
def test_concurrency_and_backups_hold_on_sqlite_too():
    if connection.vendor != "postgresql":
        pytest.skip("the suite itself runs on SQLite")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *ON_BOTH_DATABASES, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]
