"""Cancellation done right: after the demo activist is erased, her name, e-mail and phone are
nowhere — no table, no export, no stored file's name or content, no user name — while her
certificate still verifies as valid with the name withheld and the audit trail stays, its
entries about her pseudonymised."""

import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pyreadstat
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from django.utils.text import slugify

from assessments.models import Response
from certificates.models import Certificate
from courses.models import (
    AttendanceRecord,
    Cohort,
    CommunityGroup,
    Enrollment,
    ReplicaSession,
    SessionDelivery,
    ValidationFeedback,
    ValidationRound,
)
from lms.audit import audit_record, model_snapshot
from lms.datarights.requests import (
    data_rights_cancellation_carry_out,
    data_rights_rectification_apply,
    data_rights_request_file,
    personal_data_export_request,
)
from lms.models import (
    AuditLogEntry,
    DataRightsRequest,
    ParticipantProfile,
    PersonalDataExport,
    ResearchIdentity,
)
from lms.research_codes import research_code_of
from tests.helpers import pdf_text, submit_response


def _plain(text: str) -> str:
    """Case, accents and apostrophes left out: how a PDF's extracted text is compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[ʼ'’`\s]+", " ", letters).casefold().strip()


class Needles:
    """Everything that would identify her, in every spelling a store may use."""

    def __init__(self, user: User, phone: str, former: list[str]):
        self.strings = [
            user.get_full_name(),
            user.first_name,
            user.last_name,
            user.email,
            phone,
            *former,
        ]
        self.digits = re.sub(r"\D", "", phone)
        self.plain = [_plain(s) for s in self.strings]
        self.slugs = [slugify(part) for part in (user.first_name.split()[0], "qispe")]

    def found_in(self, text: str) -> list[str]:
        lowered = text.casefold()
        hits = [s for s in self.strings if s.casefold() in lowered]
        hits += [s for s in self.strings if json.dumps(s)[1:-1].casefold() in lowered]
        hits += [s for s, p in zip(self.strings, self.plain, strict=True) if p in _plain(text)]
        if self.digits and self.digits in re.sub(r"\D", "", text):
            hits.append("phone digits")
        return hits


def _every_cell():
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, memoryview | bytes):
                        cell = bytes(cell).decode("latin-1")
                    yield table, str(cell)


def _file_text(name: str, data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return pdf_text(data)[0]
    if name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(_file_text(n, archive.read(n)) for n in archive.namelist())
    if name.endswith((".sav", ".dta")):
        path = Path(settings.MEDIA_ROOT) / f"read-back{Path(name).suffix}"
        path.write_bytes(data)
        reader = pyreadstat.read_sav if name.endswith(".sav") else pyreadstat.read_dta
        values, meta = reader(str(path), output_format="dict")
        path.unlink()
        return json.dumps([values, meta.column_labels], ensure_ascii=False, default=str)
    return data.decode("utf-8", errors="replace")


def _stored_files():
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            yield str(path.relative_to(settings.MEDIA_ROOT)), path.read_bytes()


def _get(client, user, url, **params) -> bytes:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def _exports(client, demo, cohorts) -> dict[str, bytes]:
    """Every export and every page that lists people, as the platform produces them now."""
    from assessments.models import Instrument

    coordinator, accreditor, trainer = demo["coordinator"], demo["accreditor"], demo["trainer"]
    out = {}
    instrument = Instrument.objects.get()
    out["responses.csv"] = _get(
        client, coordinator, reverse("assessments:export_responses"), instrument=instrument.pk
    )
    for file_format in ("sav", "dta"):
        out[f"responses.{file_format}"] = _get(
            client,
            coordinator,
            reverse("assessments:export_responses_labelled", args=[file_format]),
            instrument=instrument.pk,
        )
    out["dictionary.csv"] = _get(
        client, coordinator, reverse("assessments:export_dictionary"), instrument=instrument.pk
    )
    for cohort in cohorts:
        out[f"acta-{cohort.pk}.csv"] = _get(
            client, accreditor, reverse("accreditation:cohort_csv", args=[cohort.pk])
        )
        out[f"acta-{cohort.pk}.pdf"] = _get(
            client, accreditor, reverse("accreditation:cohort_pdf", args=[cohort.pk])
        )
        out[f"evidence-{cohort.pk}.html"] = _get(
            client, accreditor, reverse("accreditation:cohort", args=[cohort.pk])
        )
        out[f"certificates-{cohort.pk}.zip"] = _get(
            client, coordinator, reverse("certificates:cohort_zip", args=[cohort.pk])
        )
        out[f"roster-{cohort.pk}.html"] = _get(
            client, coordinator, reverse("courses:cohort_detail", args=[cohort.pk])
        )
    round_ = ValidationRound.objects.get()
    for kind in ("informe.pdf", "resumen.csv", "opiniones.csv"):
        out[f"validation-{kind}"] = _get(
            client, coordinator, reverse("validation:export", args=[round_.pk, kind])
        )
    out["validation-results.html"] = _get(
        client, coordinator, reverse("validation:results", args=[round_.pk])
    )
    out["replicas.zip"] = _get(client, coordinator, reverse("cascade:export"))
    out["replicas-to-verify.html"] = _get(client, trainer, reverse("cascade:verify_list"))
    out["offline-bundle.json"] = _get(client, trainer, reverse("courses:offline_bundle"))
    out["audit-log.html"] = _get(client, coordinator, reverse("audit_log"))
    return out


@pytest.fixture
def erased(client, demo, about_her, run_on_commit):
    """Her data as the platform held it, then her erasure through a cancellation request."""
    activist, coordinator = demo["activist"], demo["coordinator"]
    profile = activist.profile
    phone = profile.phone
    enrollments = list(Enrollment.objects.filter(activist=activist))
    cohorts = [e.cohort for e in enrollments]
    # Free text about her, where trainers and coordinators type it.
    record = AttendanceRecord.objects.filter(enrollment__in=enrollments).first()
    AttendanceRecord.objects.filter(pk=record.pk).update(note="Avisó que su hijo estaba enfermo")
    delivery = SessionDelivery.objects.filter(cohort__in=cohorts).first()
    SessionDelivery.objects.filter(pk=delivery.pk).update(
        notes=f"{activist.get_full_name()} trajo refrigerio; llamar al {phone}."
    )
    cascade = about_her
    before = model_snapshot(profile)
    profile.phone = phone  # an admin edit of her profile, audit-logged with her phone
    audit_record(
        actor=coordinator,
        action=AuditLogEntry.Action.UPDATE,
        instance=profile,
        site=profile.site_id,
        before=before | {"phone": ""},
        after=model_snapshot(profile),
    )
    # Her download of everything, and a corrected surname that re-issues her certificate.
    with run_on_commit():
        personal_data_export_request(actor=activist, person=activist, language="es")
        rectification = data_rights_request_file(
            actor=activist,
            person=activist,
            kind=DataRightsRequest.Kind.RECTIFICATION,
            field=DataRightsRequest.Field.LAST_NAME,
            current_value=activist.last_name,
            requested_value=f"{activist.last_name} de Huamán",
        )
        data_rights_rectification_apply(
            actor=coordinator, request=rectification, value=f"{activist.last_name} de Huamán"
        )
    former = [f"{activist.get_full_name()}", activist.last_name]
    activist.refresh_from_db()
    assert Certificate.objects.filter(
        enrollment__activist=activist, status=Certificate.Status.SUPERSEDED
    ).exists()
    needles = Needles(activist, phone, former)
    with run_on_commit():
        cancellation = data_rights_request_file(
            actor=activist,
            person=activist,
            kind=DataRightsRequest.Kind.CANCELLATION,
            details=f"Soy {activist.get_full_name()} ({activist.email}); borren todo.",
        )
    entries_about_her = AuditLogEntry.objects.count()
    research_code = research_code_of(activist.profile)
    if not Response.objects.filter(research_code=research_code).exists():
        # The demo leaves a few activists without answers at random; she must have some.
        asked = next(e for e in enrollments if e.cohort.course.pre_instrument_id)
        instrument = asked.cohort.course.pre_instrument
        submit_response(
            instrument=instrument,
            cohort=asked.cohort,
            code=research_code,
            wave="pre",
            answers=dict.fromkeys(instrument.items.values_list("code", flat=True), 2),
        )
    with run_on_commit():
        data_rights_cancellation_carry_out(actor=coordinator, request=cancellation)
    return {
        "needles": needles,
        "cohorts": cohorts,
        "enrollments": enrollments,
        "request": cancellation,
        "entries_before": entries_about_her,
        "activist_pk": activist.pk,
        "research_code": research_code,
        "cascade": cascade,
    }


def test_her_name_email_and_phone_are_in_no_table(erased):
    needles = erased["needles"]
    assert needles.found_in(needles.strings[0])  # the search does find her when she is there
    found = [(table, hit) for table, cell in _every_cell() for hit in needles.found_in(cell)]
    assert not found


def test_her_name_is_in_no_export_and_no_page_listing_people(client, demo, erased):
    needles = erased["needles"]
    exports = _exports(client, demo, erased["cohorts"])
    assert exports["responses.csv"].count(b"\n") > 20  # the exports hold everyone else
    found = {
        name: hits
        for name, data in exports.items()
        if (hits := needles.found_in(_file_text(name, data)))
    }
    assert not found


def test_no_stored_file_names_her_by_name_or_content(erased):
    needles = erased["needles"]
    files = list(_stored_files())
    assert any(name.startswith("certificados/") for name, _data in files)
    found = {
        name: hits
        for name, data in files
        if (hits := needles.found_in(name) + needles.found_in(_file_text(name, data)))
    }
    assert not found
    # Her downloads of her own data are gone with their files.
    assert not PersonalDataExport.objects.filter(person_id=erased["activist_pk"]).exists()
    assert not any(name.startswith("datos-personales/") for name, _data in files)


def test_no_user_name_is_derived_from_her_names(erased):
    account = User.objects.get(pk=erased["activist_pk"])
    assert account.username.startswith("borrada-")
    assert (account.first_name, account.last_name, account.email) == ("", "", "")
    assert not account.is_active and not account.has_usable_password()
    slugs = erased["needles"].slugs
    for username in User.objects.values_list("username", flat=True):
        assert not all(slug in username for slug in slugs), username


def test_what_the_organisation_keeps_stays(client, erased):
    enrollments = Enrollment.objects.filter(pk__in=[e.pk for e in erased["enrollments"]])
    assert enrollments.count() == len(erased["enrollments"])
    assert AttendanceRecord.objects.filter(enrollment__in=enrollments).count() > 10
    assert not AttendanceRecord.objects.filter(enrollment__in=enrollments).exclude(note="").exists()
    profile = ParticipantProfile.objects.get(user_id=erased["activist_pk"])
    assert (profile.phone, profile.birth_year) == ("", None)
    assert profile.sex == "F" and profile.generation  # the cohorts still count by them
    # Her answers are gone from every future analysis and export, and no code leads to her.
    assert not Response.objects.filter(research_code=erased["research_code"]).exists()
    assert not ResearchIdentity.objects.filter(profile=profile).exists()
    # The audit trail stays whole; one entry says it was pseudonymised, one what was erased.
    assert AuditLogEntry.objects.count() >= erased["entries_before"]
    pseudonymised = AuditLogEntry.objects.filter(after__has_key="audit_entries_pseudonymised")
    assert pseudonymised.get().after["audit_entries_pseudonymised"] > 20
    summary = AuditLogEntry.objects.get(after__has_key="erased").after
    assert summary["erased"]["certificates.certificates"]["certificates_name_withheld"] == 2
    assert summary["erased"]["assessments.answers"]["questionnaire_responses"] >= 1
    request = DataRightsRequest.objects.get(pk=erased["request"].pk)
    assert request.status == DataRightsRequest.Status.DONE and request.details == ""


def test_her_certificate_still_verifies_as_valid_with_the_name_withheld(client, erased):
    valid = Certificate.objects.get(
        enrollment__in=erased["enrollments"], status=Certificate.Status.VALID
    )
    assert valid.full_name == ""
    page = client.get(reverse("certificates:verify", args=[valid.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Certificado válido" in html and "Nombre reservado a pedido de la persona titular" in html
    )
    badge = json.loads(client.get(reverse("certificates:badge", args=[valid.code])).content)
    assert "identifier" not in badge["credentialSubject"]
    assert valid.portable.name_withheld
    # The PDF says so, where the name was.
    text, _reader = pdf_text(valid.pdf.read())
    assert "Nombre reservado a pedido de la persona titular" in text
    # The certificate it replaced still verifies as superseded.
    old = Certificate.objects.get(
        enrollment__in=erased["enrollments"], status=Certificate.Status.SUPERSEDED
    )
    old_page = client.get(reverse("certificates:verify", args=[old.code])).content.decode()
    assert "Reemplazado" in old_page and valid.code in old_page


def test_cohorts_are_untouched_by_her_erasure(erased):
    cohorts = erased["cohorts"]
    assert Cohort.objects.filter(pk__in=[c.pk for c in cohorts]).count() == len(cohorts) >= 2


def test_her_replica_sessions_still_count_and_her_feedback_is_tied_to_nobody(erased):
    about = erased["cascade"]
    replica = ReplicaSession.objects.get(pk=about["replica"])
    assert not replica.photo and replica.participants > 0  # the reach still counts it
    assert not (Path(settings.MEDIA_ROOT) / about["photo"]).exists()
    assert CommunityGroup.objects.filter(activist_id=erased["activist_pk"]).exists()
    feedback = ValidationFeedback.objects.get(pk=about["feedback"])
    assert feedback.answers.exists()  # her ratings stay in the round's results
    assert not ResearchIdentity.objects.filter(research_code=feedback.research_code).exists()
    summary = AuditLogEntry.objects.get(after__has_key="erased").after["erased"]
    assert summary["courses.cascade_replicas"]["replica_photos"] == 1
    assert summary["courses.cascade_replicas"]["named_attendees"] >= 1


def test_no_sign_in_record_keeps_her_user_name_and_no_code_opens_her_account(erased):
    from axes.models import AccessAttempt

    from lms.models import AccountCode

    assert not AccessAttempt.objects.filter(username=erased["cascade"]["username"]).exists()
    assert not AccountCode.objects.filter(user_id=erased["activist_pk"]).exists()
    summary = AuditLogEntry.objects.get(after__has_key="erased").after["erased"]
    assert summary["lms.sign_in_throttle"]["accessattempt"] == 1
    assert summary["lms.account_codes"]["account_codes"] == 1
