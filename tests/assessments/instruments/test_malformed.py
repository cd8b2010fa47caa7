"""Hundreds of generated malformed instrument files, through the service and the admin view:
each gives a clear list of problems, never an exception, and saves nothing."""

import json
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.instruments.files import InstrumentFileError, instrument_import
from assessments.models import Instrument, Item, ScalePoint, Subscale
from tests.helpers import EXAMPLE_INSTRUMENT

EXAMPLE = json.loads(EXAMPLE_INSTRUMENT.read_text(encoding="utf-8"))
EXAMPLE_BYTES = EXAMPLE_INSTRUMENT.read_bytes()
FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Keys without which a file cannot be right ("description", "validated", "languages",
# "order", "filler" and "reverse" have defaults).
REQUIRED = {"format", "code", "version", "name", "scoring", "scale", "items", "min", "max"}
REQUIRED |= {"labels", "value", "text", "es", "en", "higher_score_means", "desired_change"}


def _paths(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


PATHS = [(path, value) for path, value in _paths(EXAMPLE) if path]


def _kind(value) -> str:
    return "bool" if isinstance(value, bool) else type(value).__name__


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
hostile_texts = st.one_of(
    st.tuples(
        st.text(max_size=10), st.sampled_from(["\x00", "\x07", "\x1b", "\u202e", "\u2066"])
    ).map(lambda t: t[0] + t[1] + t[0]),
    st.just("\ud800"),
    st.sampled_from(["", "   ", "\u200b\u200b", "\u00ad", "\ufeff"]),
    st.integers(min_value=5001, max_value=6000).map(lambda n: "x" * n),
)


@st.composite
def malformed_documents(draw) -> dict:
    doc = json.loads(json.dumps(EXAMPLE))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path, original = draw(st.sampled_from(PATHS))
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this place
        key = path[-1]
        how = draw(st.sampled_from(["type", "text", "drop", "nest"]))
        if how == "drop" and key in REQUIRED and path[0] != "description":
            del parent[key]
        elif how == "text" and isinstance(original, str) and path[0] != "description":
            parent[key] = draw(hostile_texts)
        elif how == "nest":
            parent[key] = json.loads("[" * 20 + json.dumps(original) + "]" * 20)
        elif original is not None:
            parent[key] = draw(json_values.filter(lambda v, o=original: _kind(v) != _kind(o)))
        else:
            parent[key] = draw(st.sampled_from([[], {}, 1.5, True]))
    return doc


raw_files = st.one_of(
    st.binary(max_size=200),
    st.integers(min_value=1, max_value=len(EXAMPLE_BYTES.rstrip()) - 1).map(
        lambda n: EXAMPLE_BYTES[:n]
    ),
    st.integers(min_value=13, max_value=5000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=13, max_value=5000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.integers(min_value=13, max_value=6000).map(lambda n: b'{"version": ' + b"7" * n + b"}"),
    st.sampled_from([b"NaN", b'{"scale": {"min": -Infinity}}', b"[]", b'"x"', b"null", b"1"]),
    json_values.map(lambda v: json.dumps(v).encode()),
)


def _encoded(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=True).encode()


def _nothing_saved() -> bool:
    return not any(m.objects.exists() for m in (Instrument, Subscale, Item, ScalePoint))


def _assert_clear(problems) -> None:
    assert problems, "an error without a problem"
    for problem in problems:
        assert isinstance(problem, str) and problem.strip()
        assert len(problem) < 400


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@FUZZ
@given(doc=malformed_documents())
def test_the_service_refuses_each_malformed_document_clearly(db, doc):
    with pytest.raises(InstrumentFileError) as refused:
        instrument_import(_encoded(doc))
    _assert_clear(refused.value.problems)
    assert _nothing_saved()


@FUZZ
@given(raw=raw_files)
def test_the_service_refuses_each_malformed_file_clearly(db, raw):
    with pytest.raises(InstrumentFileError) as refused:
        instrument_import(raw)
    _assert_clear(refused.value.problems)
    assert _nothing_saved()


@settings(FUZZ, max_examples=120)
@given(content=st.one_of(malformed_documents().map(_encoded), raw_files))
def test_the_admin_view_lists_the_problems_of_each_malformed_file(
    client, national_coordinator, content
):
    client.force_login(national_coordinator)
    upload = SimpleUploadedFile("instrumento.json", content, "application/json")
    response = client.post("/admin/instrumentos/importar/", {"file": upload})
    assert response.status_code == 200
    problems = response.context.get("problems") or response.context["form"].errors["file"]
    _assert_clear(problems)
    body = response.content.decode()
    assert all(escape(problem) in body for problem in problems)
    assert _nothing_saved()
