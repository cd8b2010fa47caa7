"""The files the service worker keeps for pages to work without connection, and their version.

The version is a digest of the files themselves, so any change to one of them makes browsers
install the new service worker, which replaces the stored copies."""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

# Every script a trainer page may load, the stylesheet and the icons.
STATIC_ASSETS = (
    "css/site.css",
    "courses/print.js",
    "courses/attendance/sheet.js",
    "courses/offline/boot.js",
    "courses/offline/store.js",
    "courses/offline/sync.js",
    "courses/offline/dialogs.js",
    "courses/offline/prepare.js",
    "courses/offline/device.js",
    "courses/cascade/replica.js",
    "courses/offline/icon-192.png",
    "courses/offline/icon-512.png",
)
SERVICE_WORKER_TEMPLATE = "courses/offline/sw.js"


def asset_urls() -> list[str]:
    """Under the names pages load them by: hashed in production, where modules also import
    each other by hashed names (lms.storage)."""
    return [static(name) for name in STATIC_ASSETS]


def _digest() -> str:
    digest = hashlib.sha256()
    template = Path(settings.BASE_DIR) / "templates" / SERVICE_WORKER_TEMPLATE
    for path in [template, *(Path(finders.find(name)) for name in STATIC_ASSETS)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_cached_digest = functools.cache(_digest)


def assets_version() -> str:
    """Recomputed on every call while DEBUG (files change under runserver), once otherwise."""
    return _digest() if settings.DEBUG else _cached_digest()
