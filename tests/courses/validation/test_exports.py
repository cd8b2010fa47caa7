"""Exports of a round: the PDF report (read back with pypdf), the figures, the de-identified
feedback and its dictionary; each one audit-logged, from the screens and the command line."""

import csv
import io

import pytest
from django.core.management import call_command

from courses.validation.exports import validation_export
from courses.validation.services.findings import finding_revision_cite, finding_save
from courses.validation.services.rounds import round_close
from lms.models import AuditLogEntry
from tests.helpers import en, give_feedback, pdf_text, ratings


@pytest.fixture
def closed(crowd, open_round, staff, draft_course):
    names = []
    for key, participants in crowd["participants"].items():
        for index, participant in enumerate(participants):
            person = participant.person
            names.append(f"{person.first_name} {person.last_name}")
            other = crowd["participants"]["A"][0].person
            give_feedback(
                participant,
                {
                    "s01": ratings(
                        {"A": 5, "B": 4, "C": 1}[key],
                        comment=f"Como dijo {other.first_name} {other.last_name}, va bien",
                    ),
                    "s02": ratings(2, fits=None),
                },
                missing='=HYPERLINK("http://x")' if index == 0 else "",
            )
    finding = finding_save(
        actor=staff["national"],
        round=open_round,
        title="La sesión 2 es poco clara",
        items=[open_round.items.get(code="s02")],
        evidence="Media de 2 en claridad.",
        tags=["unclear"],
        decision="adapt",
        decision_reason="Reescribir sus objetivos.",
    )
    session = draft_course["sessions"][1]
    session.objectives = "<ul><li>Objetivos nuevos.</li></ul>"
    finding_revision_cite(
        actor=staff["national"], finding=finding, revision=session.save_revision()
    )
    round_close(actor=staff["national"], round=open_round)
    return {"round": open_round, "names": names, "finding": finding}


def rows_of(export) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))


def test_the_report_is_a_pdf_with_who_took_part_the_figures_and_the_decisions(closed, staff):
    export = validation_export(actor=staff["national"], round=closed["round"], kind="informe.pdf")
    assert export.mimetype == "application/pdf"
    assert export.filename.startswith("informe-validacion-") and export.filename.endswith(".pdf")
    text, reader = pdf_text(export.content)
    assert reader.metadata.title.startswith("Informe de validación")
    assert "Informe de validación" in text
    assert "Con quiénes se validó" in text
    assert "Villa María del Triunfo" in text and "Arequipa" in text
    assert "La sesión 2 es poco clara" in text
    assert "Adaptar" in text and "Reescribir sus objetivos." in text
    assert "Respondido por la revisión" in text and "Objetivos" in text
    assert "5,0" in text  # Villa María's mean
    # Iquitos (3 people) and the smallest other site are suppressed, no comment is reproduced.
    assert "1,0" not in text
    assert "va bien" not in text
    for name in closed["names"]:
        assert name not in text
    entry = AuditLogEntry.objects.filter(content_type__model="validationround").latest("pk")
    assert entry.actor == staff["national"]
    assert entry.after["export"] == "informe.pdf"


def test_the_feedback_csv_is_de_identified_and_spreadsheet_safe(closed, staff):
    export = validation_export(actor=staff["national"], round=closed["round"], kind="opiniones.csv")
    rows = rows_of(export)
    assert len(rows) == 21
    first = rows[0]
    assert list(first)[:7] == [
        "round_id",
        "research_code",
        "site",
        "sex",
        "generation",
        "source",
        "submitted_on",
    ]
    assert "s01_clear" in first and "s02_fits" in first and first["s02_fits"] == ""
    text = export.content.decode("utf-8-sig")
    for name in closed["names"]:
        assert name not in text  # comments quoted a participant: her name is replaced
    assert "Como dijo […], va bien" in text
    assert any(row["missing"].startswith("'=HYPERLINK") for row in rows)
    codes = {row["research_code"] for row in rows}
    assert len(codes) == 21


def test_a_site_coordinator_exports_only_her_sites_feedback(closed, staff):
    rows = rows_of(
        validation_export(actor=staff["coordinator_a"], round=closed["round"], kind="opiniones.csv")
    )
    assert {row["site"] for row in rows} == {"villa-maria-del-triunfo"}
    entry = AuditLogEntry.objects.filter(content_type__model="validationround").latest("pk")
    assert entry.site.slug == "villa-maria-del-triunfo"  # she reads it in her audit log


def test_the_summary_csv_leaves_suppressed_cells_empty(closed, staff):
    rows = rows_of(
        validation_export(actor=staff["accreditor"], round=closed["round"], kind="resumen.csv")
    )
    by_group = {(r["item_code"], r["grouping"], r["group"]): r for r in rows}
    assert by_group[("s01", "all", "all")]["respondents"] == "21"
    assert by_group[("s01", "site", "villa-maria-del-triunfo")]["clear_mean"] == "5.0"
    iquitos = by_group[("s01", "site", "iquitos")]
    assert iquitos["clear_mean"] == "" and iquitos["respondents"] == ""
    assert by_group[("s02", "all", "all")]["fits_mean"] == ""  # nobody gave it


def test_the_dictionary_describes_every_feedback_column(closed, staff):
    round_ = closed["round"]
    feedback = rows_of(
        validation_export(actor=staff["national"], round=round_, kind="opiniones.csv")
    )
    dictionary = rows_of(
        validation_export(actor=staff["national"], round=round_, kind="diccionario.csv")
    )
    assert [d["variable"] for d in dictionary] == list(feedback[0])
    clear = next(d for d in dictionary if d["variable"] == "s01_clear")
    assert clear["choices"].startswith("1, Nada")
    assert clear["type"] == "categorical"
    code = next(d for d in dictionary if d["variable"] == "research_code")
    assert code["identifier"] == "pseudonym"


def test_the_screens_serve_the_exports_by_role(client, closed, staff):
    round_ = closed["round"]
    client.force_login(staff["accreditor"])
    assert client.get(en("validation:export", round_.pk, "informe.pdf")).status_code == 200
    assert client.get(en("validation:export", round_.pk, "resumen.csv")).status_code == 200
    assert client.get(en("validation:export", round_.pk, "opiniones.csv")).status_code == 403
    assert client.get(en("validation:export", round_.pk, "nada.csv")).status_code == 404
    client.force_login(staff["national"])
    response = client.get(en("validation:export", round_.pk, "opiniones.csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"


def test_the_command_writes_every_export_and_logs_them(closed, tmp_path):
    before = AuditLogEntry.objects.count()
    call_command("export_validation", str(closed["round"].pk), "--out", str(tmp_path))
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 4
    assert any(name.endswith(".pdf") for name in names)
    assert any(name.endswith("opiniones.csv") for name in names)
    assert AuditLogEntry.objects.count() == before + 4
    text, _reader = pdf_text(next(tmp_path.glob("*.pdf")).read_bytes())
    assert "manage.py export_validation" in text
