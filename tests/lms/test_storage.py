"""The production static storage: hashed names, and modules that import each other by them."""

import json
import re

from django.core.management import call_command
from django.test import override_settings

from lms.storage import ManifestStaticStorage


def test_hashed_modules_import_the_same_hashed_modules_the_pages_load(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "lms.storage.ManifestStaticStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        storage = ManifestStaticStorage(location=tmp_path)
        names = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        sheet = (tmp_path / names["courses/attendance/sheet.js"]).read_text()
        imported = re.findall(r'^import .* from "([^"]+)";$', sheet, re.MULTILINE)
        assert imported == [
            "../offline/" + names["courses/offline/boot.js"].rsplit("/", 1)[1],
            "../offline/" + names["courses/offline/store.js"].rsplit("/", 1)[1],
        ]
        # base.html loads boot.js by the same hashed name the sheet's script imports.
        assert storage.url("courses/offline/boot.js").endswith(names["courses/offline/boot.js"])
