"""My data: the download of everything held about her, built by the task as JSON and PDF, for
her only and for a day, every step audit-logged."""

import datetime as dt
import functools
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.datarights.portability import personal_data_exports_expire
from lms.datarights.registry import personal_data_parts
from lms.datarights.requests import data_rights_request_file
from lms.models import AuditLogEntry, PersonalDataExport
from lms.roles import Role
from tests.factories import UserFactory, person
from tests.helpers import ACTIVIST_BUDGET, pdf_text


def prepare(client, user, run_on_commit) -> PersonalDataExport:
    client.force_login(user)
    with run_on_commit():
        response = client.post(reverse("datarights:download_prepare"))
    assert response.status_code == 302
    return PersonalDataExport.objects.filter(person=user).latest("requested_at")


def download(client, export, kind):
    return client.get(reverse("datarights:download", args=[export.token, kind]))


def test_the_task_builds_her_json_and_pdf_with_every_section(client, holder, run_on_commit):
    activist = holder["activist"]
    export = prepare(client, activist, run_on_commit)
    assert export.status == PersonalDataExport.Status.READY
    assert export.expires_at - export.ready_at == dt.timedelta(hours=24)

    response = download(client, export, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    document = json.loads(b"".join(response.streaming_content))
    assert document["format"] == "cem-personal-data/1"
    assert document["person"] == "Rosa Elena Quispe Huamán"
    sections = {s["key"]: s for s in document["sections"]}
    assert set(sections) == {p.key for p in personal_data_parts() if p.fields}
    [account] = sections["lms.account"]["records"]
    assert (account["phone"], account["email"]) == ("+51 912 345 678", activist.email)
    attendance = sections["courses.attendance"]["records"]
    assert len(attendance) == 4 and all(r["recorded_by"] for r in attendance)
    [answers] = sections["assessments.answers"]["records"]
    assert answers["answers"][0]["question"] and answers["answers"][0]["answer"]
    [certificate] = sections["certificates.certificates"]["records"]
    assert certificate["code"] == holder["certificate"].code
    audit = sections["lms.audit"]["records"]
    assert any("Asistencia" in r["object"] or "asistencia" in r["object"] for r in audit)

    pdf = download(client, export, "pdf")
    assert pdf["Content-Disposition"].startswith('attachment; filename="mis-datos-')
    text, reader = pdf_text(b"".join(pdf.streaming_content))
    for expected in ("Tus datos en Formación CEM", "Rosa Elena Quispe Huamán", "Asistencia"):
        assert expected in text
    assert "Rosa" not in export.pdf_file.name and "Quispe" not in export.json_file.name
    steps = AuditLogEntry.objects.filter(
        content_type__model="personaldataexport", object_id=str(export.pk)
    ).order_by("pk")
    assert [e.after.get("status") or e.after.get("downloaded") for e in steps] == [
        "pending",
        "ready",
        "json",
        "pdf",
    ]


def test_only_she_downloads_it_and_only_while_its_link_is_valid(client, holder, run_on_commit):
    export = prepare(client, holder["activist"], run_on_commit)
    for other in (holder["coordinator"], UserFactory(is_superuser=True)):
        client.force_login(other)
        assert download(client, export, "pdf").status_code == 404
    client.force_login(holder["activist"])
    assert download(client, export, "xlsx").status_code == 404
    later = timezone.now() + dt.timedelta(hours=25)
    assert personal_data_exports_expire(now=later) == 1
    export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.EXPIRED and not export.pdf_file
    assert download(client, export, "pdf").status_code == 404
    assert personal_data_exports_expire(now=later) == 0  # idempotent


def test_a_second_click_while_it_is_prepared_is_the_same_download(client, holder):
    client.force_login(holder["activist"])
    client.post(reverse("datarights:download_prepare"))  # the task waits for the commit
    client.post(reverse("datarights:download_prepare"))
    assert PersonalDataExport.objects.filter(person=holder["activist"]).count() == 1


def test_my_data_is_for_every_signed_in_person(client, holder, run_on_commit):
    users = [holder["activist"], holder["coordinator"], UserFactory(is_superuser=True)]
    users += [person(role, cem=holder["cohort"].cem) for role in (Role.TRAINER, Role.ACCREDITOR)]
    for user in users:
        client.force_login(user)
        page = client.get(reverse("datarights:my_data"))
        assert page.status_code == 200
        assert "Descargar mis datos" in page.content.decode()
    client.logout()
    assert client.get(reverse("datarights:my_data")).status_code == 302
    # Light on a phone's prepaid data, with a download listed.
    prepare(client, holder["activist"], run_on_commit)
    page = client.get(reverse("datarights:my_data"))
    assert len(page.content) < ACTIVIST_BUDGET
    assert "disponible hasta" in page.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("datarights:my_data")).status_code == 200
    return len(queries)


def test_my_data_takes_as_many_queries_with_many_requests_as_with_one(client, holder):
    activist = holder["activist"]
    client.force_login(activist)
    file = functools.partial(data_rights_request_file, actor=activist, person=activist)
    file(kind="cancellation")
    _queries(client)  # the first request of a process looks up the Wagtail site
    one = _queries(client)
    for value in ("987 000 111", "987 000 222", "987 000 333"):
        file(kind="rectification", field="phone", requested_value=value)
    assert _queries(client) == one


def test_her_validation_feedback_community_groups_and_replica_sessions_are_in_her_download(
    client, demo, about_her, run_on_commit
):
    activist = demo["activist"]
    export = prepare(client, activist, run_on_commit)
    document = json.loads(b"".join(download(client, export, "json").streaming_content))
    sections = {s["key"]: s["records"] for s in document["sections"]}
    [participation] = sections["courses.validation_participation"]
    assert participation["round"].startswith("Validación del esquema")
    [feedback] = sections["courses.validation_feedback"]
    assert feedback["missing"].startswith("Que me llamen")
    assert any(
        a["comment"].startswith("Lo digo yo") and a["clear"] == 4 for a in feedback["answers"]
    )
    [group] = sections["courses.cascade_groups"]
    assert group["name"] == "Hombres de Nueva Esperanza"
    replicas = sections["courses.cascade_replicas"]
    assert len(replicas) == 3  # one verified, one waiting, one returned
    assert [r["photo"] for r in replicas].count(True) == 1
    assert all(r["participants"] > 0 for r in replicas)
    [code] = sections["lms.account_codes"]
    assert code["used_at"] is None and code["expires_at"]
    [attempt] = sections["lms.sign_in_throttle"]
    assert (attempt["address"], attempt["failures"]) == ("203.0.113.7", 2)
    text, _reader = pdf_text(b"".join(download(client, export, "pdf").streaming_content))
    for heading in ("Validación del currículo", "Tus grupos comunitarios", "Sesiones de réplica"):
        assert heading in text, heading
