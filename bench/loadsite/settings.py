"""The production settings plus a hello-world view: the baseline of bench/load.py."""

from lms.settings.production import *  # noqa: F403

ROOT_URLCONF = "loadsite.urls"
