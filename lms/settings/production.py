"""Production: every secret comes from the environment, with no default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_list


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production.")
    return value


DEBUG = False
SECRET_KEY = required_env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# No silent SQLite: the database is named, and SQLite only when chosen (sqlite:///path).
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "The environment variable DATABASE_URL is required in production "
        "(postgres://user:password@host:5432/name, or sqlite:////path/to/db.sqlite3 to choose "
        "SQLite explicitly)."
    )

# The credential signing keys: a keyring file or the environment variable, never a default.
if not CREDENTIALS_KEY_FILE and not os.environ.get(CREDENTIALS_KEY_ENV):  # noqa: F405
    raise ImproperlyConfigured(
        "Set CREDENTIALS_KEY_FILE (a keyring file) or CREDENTIALS_SIGNING_KEYS (its content) "
        "in production: credentials are signed with these keys."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy on the same machine (deploy/nginx.conf) names the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))  # nginx in deploy/
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,  # noqa: F405  (media: a folder or S3, see base.py)
    "staticfiles": {"BACKEND": "lms.storage.ManifestStaticStorage"},
}
