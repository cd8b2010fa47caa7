"""A throwaway Django for a benchmark: a fresh SQLite file and media folder in a temporary
folder, development settings without Redis (Celery eager) unless the benchmark names one, quiet
logs and a fast password hash, so that building thousands of people measures the platform and
not the set-up."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scratch_django(prefix: str, **environ: str) -> Path:
    """Point Django at a new temporary folder and set it up; returns the folder. `environ` adds
    variables a benchmark needs (its paths may use the folder: "{workdir}")."""
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    for inherited in ("REDIS_URL", "CACHE_URL"):
        os.environ.pop(inherited, None)
    for name, value in environ.items():
        os.environ[name] = value.format(workdir=workdir)

    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    return workdir


def attended_cohort(activists: int, course):
    """A cohort of `course` at a new CEM whose activists attended every session: all eligible."""
    from certificates.models import Certificate
    from lms.roles import Role
    from tests.factories import (
        CEMFactory,
        CohortFactory,
        EnrollmentFactory,
        hold_sessions,
        person,
        site,
    )

    cem = CEMFactory(site=site(), name=f"CEM bench {Certificate.objects.count()}")
    trainer = person(Role.TRAINER, cem=cem)
    cohort = CohortFactory(course=course, cem=cem, trainers=[trainer])
    people = [EnrollmentFactory(cohort=cohort) for _ in range(activists)]
    hold_sessions(
        cohort, list(course.sessions()), {p: list("PPPPPPPPPP") for p in people}, days_ago_start=80
    )
    return cohort
