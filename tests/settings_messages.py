"""Settings for the catalogue test: makemessages writes into a temporary copy of locale/."""

import os

from lms.settings.test import *  # noqa: F403

LOCALE_PATHS = [os.environ["CEM_LOCALE_CHECK_DIR"]]
