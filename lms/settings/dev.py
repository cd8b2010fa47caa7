"""Local development: SQLite, eager Celery unless REDIS_URL is set, console e-mail."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env_list

DEBUG = True
# A development-only key; production reads DJANGO_SECRET_KEY and has no fallback.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
WHITENOISE_AUTOREFRESH = True
# A signing key for portable credentials is generated on first use into this git-ignored file.
CREDENTIALS_KEY_FILE = os.environ.get(
    "CREDENTIALS_KEY_FILE", str(BASE_DIR / ".credentials" / "signing-keys.pem")
)
CREDENTIALS_GENERATE_DEV_KEY = True
