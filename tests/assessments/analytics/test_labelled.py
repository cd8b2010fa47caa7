"""SPSS and Stata files of the responses, read back with pyreadstat: names, labels, missing
codes, the same rows as the CSV."""

import csv
import io

import pyreadstat
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.analytics.exports import PREFER_NOT_TO_ANSWER
from lms.models import AuditLogEntry
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import person


def download(client, user, file_format: str, **params) -> bytes:
    client.force_login(user)
    response = client.get(
        reverse("assessments:export_responses_labelled", args=[file_format]), params
    )
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    assert response["Cache-Control"] == "no-store"
    return response.content


def read(content: bytes, suffix: str, tmp_path, **options):
    path = tmp_path / f"read.{suffix}"
    path.write_bytes(content)
    reader = pyreadstat.read_sav if suffix == "sav" else pyreadstat.read_dta
    return reader(str(path), output_format="dict", **options)


def csv_rows(client, user, instrument) -> list[dict]:
    client.force_login(user)
    content = client.get(
        reverse("assessments:export_responses"), {"instrument": instrument.pk}
    ).content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def dictionary(client, user, instrument) -> dict[str, dict]:
    client.force_login(user)
    content = client.get(
        reverse("assessments:export_dictionary"), {"instrument": instrument.pk}
    ).content
    return {
        row["variable"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    }


@pytest.fixture
def prefer_not_row(dataset):
    """Where the hand data set says "prefer not to answer": the sixth Norte entry, tol_05."""
    code = research_code_of(dataset["enrollments"]["norte"][5].activist.profile)
    return code, "pre", "tol_05"


def test_spss_file_has_labels_and_user_missing(
    client, dataset, national_coordinator, tmp_path, prefer_not_row
):
    instrument = dataset["instrument"]
    data, meta = read(
        download(client, national_coordinator, "sav", instrument=instrument.pk),
        "sav",
        tmp_path,
        user_missing=True,
    )
    rows = csv_rows(client, national_coordinator, instrument)
    variables = dictionary(client, national_coordinator, instrument)
    # The same variables, in the same order, as the CSV and the dictionary.
    assert meta.column_names == list(rows[0]) == list(variables)
    assert meta.number_rows == len(rows)
    # Spanish variable labels from the dictionary.
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    for name, row in variables.items():
        assert labels[name] == row["label"], name
    assert labels["tol_01"] == instrument.items.get(code="tol_01").text_es
    # Every item carries the scale's Spanish labels and the declared missing code.
    scale = {float(p.value): p.label_es for p in instrument.scale.all()}
    for item in instrument.items.all():
        assert meta.variable_value_labels[item.code] == {
            **scale,
            float(PREFER_NOT_TO_ANSWER): "Prefiere no responder",
        }
        assert meta.missing_ranges[item.code] == [{"lo": -9.0, "hi": -9.0}]
        assert meta.variable_measure[item.code] == "ordinal"
    assert meta.variable_value_labels["wave"] == {
        "pre": "Entrada (pre)",
        "post": "Salida (post)",
    }
    assert meta.variable_measure["score_tolerancia"] == "scale"
    # The prefer-not answer is -9 (user-missing), an unanswered item is system-missing.
    code, wave, item = prefer_not_row
    at = next(
        i
        for i, (c, w) in enumerate(zip(data["research_code"], data["wave"], strict=True))
        if (c, w) == (code, wave)
    )
    assert data[item][at] == PREFER_NOT_TO_ANSWER
    short = next(i for i, r in enumerate(rows) if r["tol_04"] == "")
    assert data["tol_04"][short] is None
    assert data["score_tolerancia"][short] is None
    # Read as SPSS would use it: the user-missing answer becomes missing.
    plain, _meta = read(
        download(client, national_coordinator, "sav", instrument=instrument.pk), "sav", tmp_path
    )
    assert plain[item][at] is None
    # Values agree with the CSV, row by row.
    for i, row in enumerate(rows):
        for name in ("research_code", "wave", "sex", "tol_01", "score_tolerancia"):
            value = data[name][i]
            expected = row[name]
            if name in ("tol_01", "score_tolerancia"):
                assert (value is None) == (expected == "")
                if expected:
                    assert value == pytest.approx(float(expected))
            else:
                assert value == expected


def test_stata_file_has_labels_and_extended_missing(
    client, dataset, national_coordinator, tmp_path, prefer_not_row
):
    instrument = dataset["instrument"]
    data, meta = read(
        download(client, national_coordinator, "dta", instrument=instrument.pk),
        "dta",
        tmp_path,
        user_missing=True,
    )
    rows = csv_rows(client, national_coordinator, instrument)
    variables = dictionary(client, national_coordinator, instrument)
    assert meta.column_names == list(rows[0]) == list(variables)
    assert meta.number_rows == len(rows)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    for name, row in variables.items():
        expected = row["label"] if len(row["label"]) <= 80 else row["label"][:79].rstrip() + "…"
        assert labels[name] == expected, name
    scale = {p.value: p.label_es for p in instrument.scale.all()}
    for item in instrument.items.all():
        assert meta.variable_value_labels[item.code] == {**scale, "a": "Prefiere no responder"}
    # Stata files declare the extended missing values that occur: .a where someone used it.
    used = {name for name in meta.column_names if "a" in data[name]}
    assert prefer_not_row[2] in used
    assert {name: meta.missing_user_values[name] for name in used} == {n: ["a"] for n in used}
    code, wave, item = prefer_not_row
    at = next(
        i
        for i, (c, w) in enumerate(zip(data["research_code"], data["wave"], strict=True))
        if (c, w) == (code, wave)
    )
    assert data[item][at] == "a"  # Stata's .a
    short = next(i for i, r in enumerate(rows) if r["tol_04"] == "")
    assert data["tol_04"][short] is None  # Stata's . (not answered)
    assert [str(v) for v in data["cohort_id"]] == [r["cohort_id"] for r in rows]


def test_labelled_exports_are_scoped_and_audit_logged(client, dataset, site_coordinator, tmp_path):
    before = AuditLogEntry.objects.count()
    data, _meta = read(
        download(client, site_coordinator, "sav", instrument=dataset["instrument"].pk),
        "sav",
        tmp_path,
    )
    assert set(data["site"]) == {"villa-maria-del-triunfo"}
    [entry] = AuditLogEntry.objects.order_by("id")[before:]
    assert (entry.actor, entry.after["export"], entry.after["format"]) == (
        site_coordinator,
        "responses",
        "sav",
    )
    assert entry.after["rows"] == len(data["site"])


def test_unknown_format_and_other_roles(client, dataset):
    client.force_login(person(Role.COORDINATOR))
    url = reverse("assessments:export_responses_labelled", args=["xlsx"])
    assert client.get(url, {"instrument": dataset["instrument"].pk}).status_code == 404
    client.force_login(person(Role.ACCREDITOR))
    url = reverse("assessments:export_responses_labelled", args=["sav"])
    assert client.get(url, {"instrument": dataset["instrument"].pk}).status_code == 403


@pytest.mark.parametrize("file_format", ["sav", "dta", "csv"])
def test_command_writes_each_format(dataset, tmp_path, file_format):
    call_command(
        "export_responses",
        "--instrument",
        "ejemplo-tolerancia",
        "--format",
        file_format,
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    path = tmp_path / f"ejemplo_tolerancia_v1.0_respuestas.{file_format}"
    assert (tmp_path / "ejemplo_tolerancia_v1.0_diccionario.csv").exists()
    if file_format == "csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        return
    data, meta = read(path.read_bytes(), file_format, tmp_path, user_missing=True)
    assert "tol_01" in meta.column_names and meta.column_labels[0].startswith("Código de")
    assert meta.number_rows == len(data["research_code"]) > 0
