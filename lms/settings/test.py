"""Test settings: eager Celery, fast hashing, media in a temporary folder."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cem-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
CREDENTIALS_KEY_FILE = str(Path(tempfile.mkdtemp(prefix="cem-test-keys-")) / "signing-keys.pem")
CREDENTIALS_GENERATE_DEV_KEY = True
# The cache lives in the test database, so each test's entries roll back with it (CI's Redis
# is shared); connections close after each request, so threads leave none open.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cem_cache",
        "KEY_PREFIX": "cem",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A test's writes never commit, so the data generation never moves on and replayed signed-in
# pages would go stale within a test; tests/lms/test_session_page_cache.py turns it on.
SESSION_PAGE_CACHE_ROUTES: frozenset[str] = frozenset()
# One process runs the tests and forgets its site lookup at each test (conftest.py); checking
# the shared generation once a second would add a query to whichever request crosses it.
SITE_CACHE_CHECK_SECONDS = 3600.0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # django-axes logs every failed sign-in with its address; the audit log keeps a keyed hash.
    "loggers": {"axes": {"level": "ERROR"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# A file, not memory, so that a Celery worker in another process sees the test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"cem-test-{os.getpid()}.sqlite3")
    }
