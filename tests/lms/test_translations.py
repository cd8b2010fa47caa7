"""The Spanish catalogue is complete: every string in the code is extracted and translated."""

import os
import re
import shutil
import subprocess
import sys

import polib
import pytest

from tests.helpers import ROOT

CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_committed_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    po = polib.pofile(str(CATALOGUE))
    for entry in po.translated_entries():
        if "python-format" not in entry.flags:
            continue
        names = set(re.findall(r"%\((\w+)\)", entry.msgid))
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            assert set(re.findall(r"%\((\w+)\)", text)) <= names | {"count"}, entry.msgid


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages runs on a copy of the project, so the real catalogue is never rewritten."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is required in CI")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "node_modules",
            "media",
            "staticfiles",
            "test-artifacts",
            "__pycache__",
            "*.sqlite3",
            "*.mo",
            "bench",
            "tests",
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"],
        cwd=copy,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "lms.settings.test"},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert len(extracted) >= len(polib.pofile(str(CATALOGUE))) - 5  # the copy was really read
    missing = [e.msgid for e in extracted.untranslated_entries() + extracted.fuzzy_entries()]
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])
