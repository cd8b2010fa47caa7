"""The Spanish catalogue is complete: every string in the code is extracted and translated."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
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
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is required in CI")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "es" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy / "django.po")
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings_messages",
        "CEM_LOCALE_CHECK_DIR": str(tmp_path),
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "es",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=staticfiles",
            "--ignore=bench",
            "--ignore=tests",
            "--ignore=media",
            "--ignore=node_modules",
            "--ignore=test-artifacts",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "django.po"))
    missing = [e.msgid for e in extracted.untranslated_entries() + extracted.fuzzy_entries()]
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])
