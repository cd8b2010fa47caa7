"""A throwaway Django for a benchmark: a fresh SQLite file and media folder in a temporary
folder, development settings without Redis (Celery eager), quiet logs and a fast password hash,
so that building thousands of people measures the platform and not the set-up."""

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
    for name, value in environ.items():
        os.environ[name] = value.format(workdir=workdir)
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    return workdir
