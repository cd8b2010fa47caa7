"""Completion evidence for accreditors: scope, the evidence of a cohort, its acta (CSV, PDF)
and a query count that does not grow with the cohort."""

import csv
import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from assessments.models import Response, Wave
from certificates.issuance.services import certificate_revoke, certificates_issue
from certificates.models import Certificate
from courses.services.attendance import attendance_sheet_save
from lms.models import AuditLogEntry
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionPageFactory,
    UserFactory,
    hold_sessions,
    person,
    site,
)
from tests.helpers import en, pdf_text, submit_response

# Values that would only reach a page if answers or scores leaked.
SECRET_SCORE = 3.14159
SECRET_ITEM = "tol_01"


def full_name(enrollment) -> str:
    return enrollment.activist.get_full_name()


def submit(enrollment, instrument, wave: str) -> Response:
    return submit_response(
        instrument=instrument,
        cohort=enrollment.cohort,
        code=research_code_of(enrollment.activist.profile),
        wave=wave,
        answers={SECRET_ITEM: 4, "nor_01": 2},
        scores={"tolerancia": SECRET_SCORE},
    )


def build_cohort(
    *,
    course,
    cem,
    sessions,
    activists: int,
    editor,
    instrument,
    capture,
    name: str | None = None,
):
    """A cohort with held sessions, one edited attendance mark, certificates (one revoked) and
    submitted questionnaires: every kind of evidence the page shows."""
    trainer = person(Role.TRAINER, cem=cem)
    extra = {"name": name} if name else {}
    cohort = CohortFactory(course=course, cem=cem, trainers=[trainer], **extra)
    enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(activists)]
    marks = {e: ["P"] * len(sessions) for e in enrollments}
    half = len(sessions) // 2
    marks[enrollments[-1]] = ["A"] * half + ["P"] * (len(sessions) - half)  # not eligible
    deliveries = hold_sessions(cohort, sessions, marks, days_ago_start=7 * len(sessions) + 1)
    # Two later edits of the same mark: present → absent → late.
    first = enrollments[0]
    attendance_sheet_save(actor=editor, delivery=deliveries[0], marks={first.pk: "A"})
    attendance_sheet_save(actor=trainer, delivery=deliveries[0], marks={first.pk: "L"})
    with capture(execute=True):
        issued = certificates_issue(actor=editor, cohort=cohort)
    certificate_revoke(actor=editor, certificate=issued[-1], reason="Asistencia corregida.")
    for enrollment in enrollments:
        submit(enrollment, instrument, Wave.PRE)
    submit(enrollments[0], instrument, Wave.POST)
    return cohort, enrollments, deliveries, trainer


@pytest.fixture
def world(course, instrument, django_capture_on_commit_callbacks):
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(1, 5)]
    vmt_cem = CEMFactory(site=site("villa-maria-del-triunfo"), name="CEM Villa María")
    arequipa_cem = CEMFactory(site=site("arequipa"), name="CEM Arequipa")
    coordinator = person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo"))
    vmt, vmt_enrollments, deliveries, vmt_trainer = build_cohort(
        course=course,
        cem=vmt_cem,
        sessions=sessions,
        activists=3,
        editor=coordinator,
        instrument=instrument,
        capture=django_capture_on_commit_callbacks,
        name="Grupo Villa María 2026-I",
    )
    activist = vmt_enrollments[1].activist
    activist.first_name, activist.last_name = "María Ñusta", "Güémez Íñiguez"
    activist.save()
    arequipa, arequipa_enrollments, _d, _t = build_cohort(
        course=course,
        cem=arequipa_cem,
        sessions=sessions,
        activists=2,
        editor=person(Role.COORDINATOR, site_=site("arequipa")),
        instrument=instrument,
        capture=django_capture_on_commit_callbacks,
        name="Grupo Arequipa 2026-I",
    )
    return {
        "vmt": vmt,
        "vmt_enrollments": vmt_enrollments,
        "vmt_trainer": vmt_trainer,
        "deliveries": deliveries,
        "arequipa": arequipa,
        "arequipa_enrollments": arequipa_enrollments,
        "coordinator": coordinator,
        "sessions": sessions,
    }


# Scope --------------------------------------------------------------------------------------


def test_an_accreditor_sees_every_sites_cohorts(client, world):
    client.force_login(person(Role.ACCREDITOR))
    response = client.get(en("accreditation:index"))
    assert response.status_code == 200
    body = response.content.decode()
    for cohort in (world["vmt"], world["arequipa"]):
        assert cohort.name in body
        assert en("accreditation:cohort", cohort.pk) in body
        assert client.get(en("accreditation:cohort", cohort.pk)).status_code == 200
    rows = {c.pk: c for item in response.context["courses"] for c in item.cohorts}
    vmt = rows[world["vmt"].pk]
    assert (vmt.enrolled, vmt.completed, vmt.withdrawn) == (3, 2, 0)
    assert (vmt.sessions_planned, vmt.sessions_held) == (4, 4)
    assert (vmt.certificates_valid, vmt.certificates_revoked) == (1, 1)


def test_a_site_coordinator_reads_only_their_site(client, world):
    client.force_login(world["coordinator"])
    body = client.get(en("accreditation:index")).content.decode()
    assert world["vmt"].name in body
    assert world["arequipa"].name not in body
    other = world["arequipa"].pk
    for name in ("accreditation:cohort", "accreditation:cohort_csv", "accreditation:cohort_pdf"):
        assert client.get(en(name, other)).status_code == 404
    assert client.get(en("accreditation:cohort", world["vmt"].pk)).status_code == 200


def test_a_national_coordinator_and_a_superuser_read_every_site(client, world):
    for user in (person(Role.COORDINATOR), UserFactory(username="root", is_superuser=True)):
        client.force_login(user)
        assert client.get(en("accreditation:cohort", world["arequipa"].pk)).status_code == 200


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ACTIVIST])
def test_trainers_and_activists_are_refused(client, world, role):
    # Even the cohort's own trainer.
    user = world["vmt_trainer"] if role == Role.TRAINER else world["vmt_enrollments"][0].activist
    client.force_login(user)
    pk = world["vmt"].pk
    assert client.get(en("accreditation:index")).status_code == 403
    for name in ("accreditation:cohort", "accreditation:cohort_csv", "accreditation:cohort_pdf"):
        assert client.get(en(name, pk)).status_code == 403
    assert not AuditLogEntry.objects.filter(after__export__isnull=False).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (en("accreditation:index"), en("accreditation:cohort_pdf", world["vmt"].pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/cuenta/ingresar/" in response["Location"]


def test_the_evidence_pages_answer_get_only(client, world):
    client.force_login(person(Role.ACCREDITOR))
    for name, args in (
        ("accreditation:index", ()),
        ("accreditation:cohort", (world["vmt"].pk,)),
        ("accreditation:cohort_csv", (world["vmt"].pk,)),
        ("accreditation:cohort_pdf", (world["vmt"].pk,)),
    ):
        assert client.post(en(name, *args)).status_code == 405


# The evidence of a cohort -------------------------------------------------------------------


def test_the_cohort_page_shows_every_activist_with_attendance_evidence(client, world):
    client.force_login(person(Role.ACCREDITOR))
    response = client.get(en("accreditation:cohort", world["vmt"].pk))
    assert response.status_code == 200
    body = response.content.decode()
    for enrollment in world["vmt_enrollments"]:
        assert escape(full_name(enrollment)) in body
        assert enrollment.activist.profile.participant_code in body
        assert f'id="activist-{enrollment.pk}"' in body
    for session in world["sessions"]:
        assert escape(session.title) in body
    # Who recorded each mark.
    assert escape(world["vmt_trainer"].get_full_name()) in body
    # Certificates link to the public verification page; the revoked one says why.
    revoked = Certificate.objects.get(enrollment__cohort=world["vmt"], status="revoked")
    valid = Certificate.objects.get(enrollment__cohort=world["vmt"], status="valid")
    for certificate in (revoked, valid):
        assert en("certificates:verify", certificate.code) in body
    assert "Asistencia corregida." in body
    # The cohort's facts, the rule and the link to the audit log.
    assert "80%" in body
    assert world["vmt"].cem.name in body
    assert en("audit_log") + "?kind=courses.attendancerecord" in body


def test_later_attendance_edits_show_before_after_who_and_when(client, world):
    client.force_login(person(Role.ACCREDITOR))
    response = client.get(en("accreditation:cohort", world["vmt"].pk))
    edited = world["vmt_enrollments"][0]
    row = next(a for a in response.context["evidence"].activists if a.enrollment == edited)
    cell = row.cells[0]
    assert cell.record.status == "L"
    assert [(e.before, e.after) for e in cell.events] == [(None, "P"), ("P", "A"), ("A", "L")]
    assert [e.actor for e in cell.edits] == [world["coordinator"], world["vmt_trainer"]]
    assert row.edit_count == 2
    body = response.content.decode()
    section = body[body.index(f'id="activist-{edited.pk}"') :]
    section = section[: section.index("</section>")]
    assert "Present → Absent" in section
    assert "Absent → Late" in section
    assert escape(world["coordinator"].get_full_name()) in section
    # Nobody else's marks were edited.
    others = [a for a in response.context["evidence"].activists if a.enrollment != edited]
    assert all(a.edit_count == 0 for a in others)


def test_questionnaires_are_yes_or_no_never_answers(client, world):
    client.force_login(person(Role.ACCREDITOR))
    pk = world["vmt"].pk
    response = client.get(en("accreditation:cohort", pk))
    rows = {a.enrollment.pk: a for a in response.context["evidence"].activists}
    first, second = world["vmt_enrollments"][:2]
    assert rows[first.pk].entry_submitted and rows[first.pk].exit_submitted
    assert rows[second.pk].entry_submitted and not rows[second.pk].exit_submitted
    csv_body = client.get(en("accreditation:cohort_csv", pk)).content.decode("utf-8-sig")
    for body in (response.content.decode(), csv_body):
        assert SECRET_ITEM not in body
        assert str(SECRET_SCORE) not in body
        assert "tolerancia" not in body


# The acta -----------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_activist_and_is_audited(client, world):
    accreditor = person(Role.ACCREDITOR)
    client.force_login(accreditor)
    response = client.get(en("accreditation:cohort_csv", world["vmt"].pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(world["vmt_enrollments"])
    by_code = {r["participant_code"]: r for r in rows}
    for enrollment in world["vmt_enrollments"]:
        row = by_code[enrollment.activist.profile.participant_code]
        assert row["full_name"] == full_name(enrollment)
        assert row["sessions_scheduled"] == "4"
        assert row["entry_questionnaire"] == "yes"
    edited = by_code[world["vmt_enrollments"][0].activist.profile.participant_code]
    assert edited["sessions_attended"] == "4"  # late counts by default (P and L)
    assert edited["attendance_edits"] == "2"
    assert edited["exit_questionnaire"] == "yes"
    assert edited["sessions_attended_list"] == "1 2 3 4"
    statuses = sorted(r["certificate_status"] for r in rows)
    assert statuses == ["", "revoked", "valid"]
    revoked = next(r for r in rows if r["certificate_status"] == "revoked")
    assert revoked["certificate_revoked_at"] and revoked["certificate_code"]
    assert revoked["certificate_revoked_reason"] == "Asistencia corregida."
    entry = AuditLogEntry.objects.get(after={"export": "acta.csv"})
    assert entry.actor == accreditor
    assert entry.action == "create"
    assert entry.content_type.model == "cohort" and entry.object_id == str(world["vmt"].pk)
    assert entry.site_id == world["vmt"].cem.site_id


TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) \(UTC([+-]\d{2}:\d{2}), ([\w/]+)\)")


def test_the_pdf_states_what_when_by_whom_and_lists_every_activist(client, world):
    accreditor = person(Role.ACCREDITOR)
    accreditor.first_name, accreditor.last_name = "Elena", "Salazar Ríos"
    accreditor.save()
    client.force_login(accreditor)
    before = timezone.localtime().replace(microsecond=0)
    response = client.get(en("accreditation:cohort_pdf", world["vmt"].pk))
    after = timezone.localtime()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text, reader = pdf_text(response.content)
    assert "Acta de cumplimiento" in text
    assert world["vmt"].name in text
    course = world["vmt"].course
    for fact in (course.title, course.code, course.curriculum_version, "Elena Salazar Ríos"):
        assert fact in text
    assert settings.BASE_URL in text
    for enrollment in world["vmt_enrollments"]:
        assert full_name(enrollment) in text
    assert "María Ñusta Güémez Íñiguez" in text
    assert world["arequipa_enrollments"][0].activist.get_full_name() not in text
    stamp = TIMESTAMP.search(text)
    assert stamp, text[:500]
    produced = dt.datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S")
    assert before.replace(tzinfo=None) <= produced <= after.replace(tzinfo=None)
    assert stamp.group(2) == before.strftime("%z")[:3] + ":" + before.strftime("%z")[3:]
    assert stamp.group(3) == "America/Lima"
    # Fonts are embedded (no base-14 fallback).
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts)
    assert any("DejaVuSans" in font["/BaseFont"] for font in fonts)
    assert AuditLogEntry.objects.filter(after={"export": "acta.pdf"}, actor=accreditor).count() == 1


def test_a_long_pdf_repeats_the_table_header_on_every_page(
    client, course, world, instrument, django_capture_on_commit_callbacks
):
    big, enrollments, _d, _t = build_cohort(
        course=course,
        cem=world["vmt"].cem,
        sessions=world["sessions"],
        activists=45,
        editor=world["coordinator"],
        instrument=instrument,
        capture=django_capture_on_commit_callbacks,
    )
    client.force_login(person(Role.ACCREDITOR))
    data = client.get(en("accreditation:cohort_pdf", big.pk)).content
    text, reader = pdf_text(data)
    assert len(reader.pages) >= 3
    for enrollment in enrollments:
        assert full_name(enrollment) in text
    # Every page after the first continues the participant table under its header.
    for page in reader.pages[1:]:
        assert "Participante" in page.extract_text()
        assert "Acta de cumplimiento" in page.extract_text()


# Queries ------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_cohort(
    client, course, world, instrument, django_capture_on_commit_callbacks
):
    more_sessions = world["sessions"] + [
        SessionPageFactory(parent=course, number=n) for n in range(5, 9)
    ]
    big, *_rest = build_cohort(
        course=course,
        cem=world["vmt"].cem,
        sessions=more_sessions,
        activists=12,
        editor=world["coordinator"],
        instrument=instrument,
        capture=django_capture_on_commit_callbacks,
    )
    client.force_login(person(Role.ACCREDITOR))
    small = world["vmt"].pk  # 3 activists, 4 sessions; `big` has 12 and 8
    for name in ("accreditation:cohort", "accreditation:cohort_csv", "accreditation:cohort_pdf"):
        client.get(en(name, small))  # warm caches (content types, settings)
        assert queries_for(client, en(name, small)) == queries_for(client, en(name, big.pk))
    client.get(en("accreditation:index"))
    one_course = queries_for(client, en("accreditation:index"))
    CohortFactory(course=course, cem=world["vmt"].cem)
    assert queries_for(client, en("accreditation:index")) == one_course


def test_the_acta_prints_latin_extended_names_as_written(client, world):
    accreditor = person(Role.ACCREDITOR)
    accreditor.first_name, accreditor.last_name = "Ñusta Tsẽĩ", "Qʼispe Ãüĩ"
    accreditor.save()
    client.force_login(accreditor)
    text, _reader = pdf_text(client.get(en("accreditation:cohort_pdf", world["vmt"].pk)).content)
    assert "Ñusta Tsẽĩ Qʼispe Ãüĩ" in text
