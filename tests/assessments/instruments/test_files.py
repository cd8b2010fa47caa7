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


# Files that used to crash the import or exhaust memory --------------------------------------


def problems_of(raw) -> tuple[str, ...]:
    with pytest.raises(InstrumentFileError) as excinfo:
        instrument_import(raw)
    assert not Instrument.objects.exists()
    return excinfo.value.problems


def test_a_huge_scale_is_refused_before_anything_is_built(db, example_doc):
    doc = copy.deepcopy(example_doc)
    doc["scale"]["min"], doc["scale"]["max"] = 0, 1_000_000_000
    assert any("between -100 and 100" in p for p in problems_of(doc))
    doc["scale"]["min"], doc["scale"]["max"] = 1, 12
    assert any("at most 11 points" in p for p in problems_of(doc))


def test_deep_nesting_long_numbers_and_constants_are_refused_before_parsing(db):
    assert "too deeply" in problems_of(b"[" * 100_000)[0]
    assert "too deeply" in problems_of('{"a": ' * 50_000 + "1" + "}" * 50_000)[0]
    assert "too long" in problems_of('{"scale": {"min": ' + "9" * 5000 + "}}")[0]
    assert "NaN" in problems_of(b'{"scale": {"min": NaN}}')[0]
    assert "too large" in problems_of(b" " * (1024 * 1024 + 1))[0]


def test_brackets_inside_texts_do_not_count_as_nesting(db, example_doc):
    doc = copy.deepcopy(example_doc)
    doc["items"][0]["text"]["es"] = "¿[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[?"
    instrument = instrument_import(json.dumps(doc))
    assert instrument.items.get(code=doc["items"][0]["code"]).text_es.startswith("¿[[[")


def test_wrong_types_are_problems_not_crashes(db, example_doc):
    doc = copy.deepcopy(example_doc)
    doc["languages"] = [["es"]]
    doc["code"] = ["ejemplo"]
    doc["subscales"] = 7
    doc["items"][0]["code"] = ["tol_01"]
    doc["items"][1]["subscale"] = {"a": 1}
    doc["scale"]["agree_values"] = [True]
    doc["scale"]["labels"][0]["value"] = True
    problems = problems_of(doc)
    assert any("languages" in p for p in problems)
    assert any("“code” must be a text" in p for p in problems)
    assert any("subscales" in p for p in problems)
    assert any(p.startswith('item 1 (["tol_01"]): “code” must be a text') for p in problems)
    assert any("agree_values" in p for p in problems)
    assert any(p.startswith("scale label 1") for p in problems)


def test_lengths_and_characters_are_checked_at_the_columns_limits(db, example_doc):
    doc = copy.deepcopy(example_doc)
    doc["version"] = "1" * 300
    doc["name"]["es"] = "Instrumento\x00"
    doc["items"][2]["text"]["es"] = "Texto \u202eodacifidoc"
    doc["items"][3]["text"]["en"] = "\ud800"
    doc["items"][4]["code"] = "código"
    doc["subscales"][0]["name"]["es"] = "\u200b\u200b"
    doc["scale"]["labels"][1]["es"] = "x" * 101
    problems = problems_of(json.dumps(doc))
    expected = (
        "“version” is longer than 20 characters",
        "“name.es” holds a control character",
        "item 3 (mit_01): “text.es” holds a Unicode direction override",
        "item 4 (con_01): “text.en” holds characters that are not text",
        "item 5 (código): “code” may hold only",
        "subscale 1: “name” has no text in “es”",
        "scale label 2: “es” is longer than 100 characters",
    )
    for text in expected:
        assert any(text in p for p in problems), (text, problems)


def test_an_endless_list_of_problems_is_cut_short(db, example_doc):
    doc = copy.deepcopy(example_doc)
    doc["items"] = [{"code": f"i{n}", "reverse": "no"} for n in range(300)]
    problems = problems_of(doc)
    assert len(problems) == 101 and "more problems" in problems[-1]
