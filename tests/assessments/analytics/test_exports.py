"""De-identified CSV exports: contents, scope, data dictionary, audit log, management command."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from assessments.analytics.exports import DICTIONARY_COLUMNS, PREFER_NOT_TO_ANSWER
from assessments.models import Response
from lms.models import AuditLogEntry, ParticipantProfile
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import UserFactory, person, site
from tests.helpers import TOLERANCE, submit_response

BOM = b"\xef\xbb\xbf"


def parse(content: bytes) -> list[dict]:
    assert content.startswith(BOM)  # Excel needs it to read the accents as UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def download(client, user, name: str, **params):
    client.force_login(user)
    response = client.get(reverse(f"assessments:{name}"), params)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def personal_strings() -> set[str]:
    """Everything that would identify a person: names, usernames, e-mails, and the participant
    codes that rosters, sign-in sheets and actas print beside the names."""
    found = set(ParticipantProfile.objects.values_list("participant_code", flat=True))
    for user in User.objects.all():
        found |= {user.username, user.email, user.get_full_name()}
    return {s for s in found if s}


def research_code(enrollment) -> str:
    return research_code_of(enrollment.activist.profile)


def test_responses_export_is_deidentified_one_row_per_participant_per_wave(
    client, dataset, national_coordinator
):
    instrument = dataset["instrument"]
    content = download(client, national_coordinator, "export_responses", instrument=instrument.pk)
    rows = parse(content)

    submitted = Response.objects.filter(status="submitted")
    assert (
        len(rows)
        == submitted.count()
        == sum(1 + (post is not None) for rows_ in TOLERANCE.values() for _pre, post in rows_)
    )
    keys = {(r["research_code"], r["cohort_id"], r["wave"]) for r in rows}
    assert len(keys) == len(rows)

    header = list(rows[0])
    assert header[:7] == [
        "research_code",
        "cohort_id",
        "cohort_name",
        "site",
        "generation",
        "sex",
        "wave",
    ]
    item_codes = list(instrument.items.values_list("code", flat=True))
    assert header[7 : 7 + len(item_codes)] == item_codes
    assert {"score_tolerancia", "score_mitos", "instrument_version", "scoring_key_version"} <= set(
        header
    )

    text = content.decode("utf-8-sig")
    for secret in personal_strings():
        assert secret not in text, secret
    for user in User.objects.all():  # first and last names one by one too
        for part in (user.first_name, user.last_name):
            assert not part or part not in text, part
    for cem in ("CEM Grupo Norte", "CEM Grupo Misti", "birth_year", "1995"):
        assert cem not in text

    # Raw numeric codes: prefer-not-to-answer is -9, unanswered is empty.
    norte = dataset["enrollments"]["norte"]
    by_key = {(r["research_code"], r["wave"]): r for r in rows}
    sixth = by_key[(research_code(norte[5]), "pre")]
    assert sixth["tol_05"] == str(PREFER_NOT_TO_ANSWER)
    assert sixth["tol_03"] == "1"  # raw, not reverse-coded
    short = by_key[(research_code(norte[7]), "post")]
    assert short["tol_04"] == "" and short["tol_05"] == "" and short["tol_01"] == "2"
    assert short["score_tolerancia"] == ""  # 3 of 5 answered: no score
    first = by_key[(research_code(norte[0]), "pre")]
    # (4 + 5 + (6 - 2) + 4 + 5) / 5 = 4.4
    assert float(first["score_tolerancia"]) == pytest.approx(4.4)
    assert first["instrument_version"] == "1.0"
    assert first["scoring_key_version"] == "ejemplo-tolerancia@1.0"
    assert first["site"] == "villa-maria-del-triunfo" and first["cohort_name"] == "Grupo Norte"


def test_only_submitted_responses_are_exported(client, dataset, national_coordinator):
    cohort = dataset["cohorts"]["norte"]
    draft = submit_response(
        instrument=dataset["instrument"],
        key=dataset["key"],
        code="DRAF-T000",
        cohort=cohort,
        wave="pre",
        answers={"tol_01": 1},
    )
    Response.objects.filter(pk=draft.pk).update(status=Response.Status.DRAFT)
    rows = parse(
        download(
            client, national_coordinator, "export_responses", instrument=dataset["instrument"].pk
        )
    )
    assert "DRAF-T000" not in {r["research_code"] for r in rows}


def test_site_coordinator_exports_only_their_site(client, dataset, site_coordinator):
    instrument = dataset["instrument"]
    rows = parse(download(client, site_coordinator, "export_responses", instrument=instrument.pk))
    assert {r["site"] for r in rows} == {"villa-maria-del-triunfo"}
    assert {r["cohort_name"] for r in rows} == {"Grupo Norte", "Grupo Sur"}
    misti_codes = {research_code(e) for e in dataset["enrollments"]["misti"]}
    assert not misti_codes & {r["research_code"] for r in rows}
    # Another site's cohort cannot be asked for.
    client.force_login(site_coordinator)
    response = client.get(
        reverse("assessments:export_responses"),
        {"instrument": instrument.pk, "cohort": dataset["cohorts"]["misti"].pk},
    )
    assert response.status_code == 400


def test_national_coordinator_can_filter_by_cohort(client, dataset, national_coordinator):
    misti = dataset["cohorts"]["misti"]
    rows = parse(
        download(
            client,
            national_coordinator,
            "export_responses",
            instrument=dataset["instrument"].pk,
            cohort=misti.pk,
        )
    )
    assert len(rows) == 10 and {r["cohort_id"] for r in rows} == {str(misti.pk)}


def test_dictionary_describes_every_exported_variable(client, dataset, national_coordinator):
    instrument = dataset["instrument"]
    responses = parse(
        download(client, national_coordinator, "export_responses", instrument=instrument.pk)
    )
    dictionary = parse(
        download(client, national_coordinator, "export_dictionary", instrument=instrument.pk)
    )
    assert list(dictionary[0]) == list(DICTIONARY_COLUMNS)
    assert [d["variable"] for d in dictionary] == list(responses[0])
    by_name = {d["variable"]: d for d in dictionary}

    tol_01 = by_name["tol_01"]
    assert tol_01["choices"].startswith(
        "1, Totalmente en desacuerdo | 2, En desacuerdo | 3, Ni de acuerdo ni en desacuerdo | "
        "4, De acuerdo | 5, Totalmente de acuerdo | -9, "
    )
    assert tol_01["label"] == instrument.items.get(code="tol_01").text_es
    assert (tol_01["subscale"], tol_01["reverse_coded"]) == ("tolerancia", "no")
    assert tol_01["instrument_version"] == "1.0"
    assert "-9" in tol_01["missing_codes"]
    assert by_name["tol_03"]["reverse_coded"] == "yes"
    assert by_name["fil_01"]["subscale"] == ""
    assert by_name["research_code"]["identifier"] == "pseudonym"
    assert {d["identifier"] for d in dictionary} == {"pseudonym", "no"}
    assert by_name["score_tolerancia"]["type"] == "number"
    assert by_name["sex"]["choices"].startswith("F, ")
    text = "\n".join(",".join(d.values()) for d in dictionary)
    for secret in personal_strings():
        assert secret not in text, secret


def test_each_export_writes_an_audit_entry(client, dataset, site_coordinator):
    instrument = dataset["instrument"]
    before = AuditLogEntry.objects.count()
    rows = parse(download(client, site_coordinator, "export_responses", instrument=instrument.pk))
    download(client, site_coordinator, "export_dictionary", instrument=instrument.pk)
    entries = list(AuditLogEntry.objects.order_by("id"))[before:]
    assert len(entries) == 2
    responses_entry, dictionary_entry = entries
    assert responses_entry.actor == site_coordinator
    assert responses_entry.action == AuditLogEntry.Action.CREATE
    assert responses_entry.object_id == str(instrument.pk)
    assert responses_entry.site == site("villa-maria-del-triunfo")
    assert responses_entry.after["export"] == "responses"
    assert responses_entry.after["rows"] == len(rows)
    assert responses_entry.after["filters"]["site"] == site("villa-maria-del-triunfo").pk
    assert dictionary_entry.after["export"] == "dictionary"


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.TRAINER, Role.ACTIVIST])
def test_exports_refused_to_other_roles_and_not_logged(client, dataset, role):
    client.force_login(person(role, cem=dataset["cohorts"]["norte"].cem))
    before = AuditLogEntry.objects.count()
    response = client.get(
        reverse("assessments:export_responses"), {"instrument": dataset["instrument"].pk}
    )
    assert response.status_code == 403
    assert AuditLogEntry.objects.count() == before


def test_superuser_may_export(client, dataset):
    rows = parse(
        download(
            client,
            UserFactory(is_superuser=True),
            "export_responses",
            instrument=dataset["instrument"].pk,
        )
    )
    assert len(rows) == Response.objects.count()


def test_management_command_writes_both_files(dataset, tmp_path):
    before = AuditLogEntry.objects.count()
    call_command(
        "export_responses",
        "--instrument",
        "ejemplo-tolerancia",
        "--site",
        "arequipa",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    responses = tmp_path / "ejemplo_tolerancia_v1.0_respuestas.csv"
    dictionary = tmp_path / "ejemplo_tolerancia_v1.0_diccionario.csv"
    rows = parse(responses.read_bytes())
    assert len(rows) == 16 and {r["site"] for r in rows} == {"arequipa"}
    variables = parse(dictionary.read_bytes())
    assert [v["variable"] for v in variables] == list(rows[0])
    entries = list(AuditLogEntry.objects.order_by("id"))[before:]
    assert [e.after["export"] for e in entries] == ["responses", "dictionary"]
    assert entries[0].actor is None and entries[0].site == site("arequipa")


def test_management_command_rejects_unknown_instrument(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_responses", "--instrument", "nope", "--out", str(tmp_path))
