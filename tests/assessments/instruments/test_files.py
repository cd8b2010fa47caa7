import copy
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.instruments.files import (
    InstrumentFileError,
    instrument_export,
    instrument_import,
)
from assessments.models import Instrument, Item
from tests.helpers import EXAMPLE_INSTRUMENT


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the Spanish catalogue translates them)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def example_doc():
    return json.loads(EXAMPLE_INSTRUMENT.read_text(encoding="utf-8"))


def test_example_instrument_imports_with_its_structure(db, example_doc):
    instrument = instrument_import(EXAMPLE_INSTRUMENT.read_bytes())
    assert instrument.name_es.startswith("Instrumento de ejemplo — no validado")
    assert instrument.validated is False
    assert instrument.desired_change == "decrease"
    assert instrument.items.count() == 21
    assert instrument.subscales.count() == 4
    assert instrument.items.filter(filler=True).count() == 1
    assert instrument.items.filter(reverse=True).count() >= 4
    assert [p.value for p in instrument.scale.all()] == [1, 2, 3, 4, 5]


def test_export_gives_back_the_imported_document(db, example_doc):
    instrument = instrument_import(example_doc)
    exported = instrument_export(instrument)
    for key in ("code", "version", "validated", "name", "scoring", "scale", "subscales"):
        assert exported[key] == example_doc[key], key
    assert [i["code"] for i in exported["items"]] == [
        i["code"] for i in sorted(example_doc["items"], key=lambda i: i["order"])
    ]


def test_a_bad_file_says_which_item_and_field_and_imports_nothing(db, example_doc):
    doc = copy.deepcopy(example_doc)
    doc["items"][2]["reverse"] = "sí"
    doc["items"][5]["subscale"] = "inexistente"
    doc["items"][7]["text"] = {"es": ""}
    with pytest.raises(InstrumentFileError) as excinfo:
        instrument_import(doc)
    problems = excinfo.value.problems
    code2, code5, code7 = (doc["items"][i]["code"] for i in (2, 5, 7))
    assert any(f"item 3 ({code2})" in p and "reverse" in p for p in problems)
    assert any(f"item 6 ({code5})" in p and "inexistente" in p for p in problems)
    assert any(f"item 8 ({code7})" in p and "text" in p for p in problems)
    assert not Instrument.objects.exists() and not Item.objects.exists()


def test_the_same_version_cannot_be_loaded_twice(db, example_doc):
    instrument_import(example_doc)
    with pytest.raises(InstrumentFileError, match="new version"):
        instrument_import(example_doc)
    changed = copy.deepcopy(example_doc)
    changed["version"] = "1.1"
    instrument_import(changed)
    assert Instrument.objects.count() == 2


def test_invalid_json_is_reported_with_its_position(db):
    with pytest.raises(InstrumentFileError, match="line 1"):
        instrument_import(b'{"format": ')


def test_import_command(db, tmp_path, example_doc):
    call_command("import_instrument", str(EXAMPLE_INSTRUMENT))
    assert Instrument.objects.filter(code="ejemplo-tolerancia").exists()
    bad = tmp_path / "bad.json"
    doc = copy.deepcopy(example_doc)
    doc["version"] = "2"
    doc["scale"]["max"] = 0
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError, match="scale"):
        call_command("import_instrument", str(bad))
    assert Instrument.objects.count() == 1
