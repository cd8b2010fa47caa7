"""Research codes: one per participant, apart from the roster code, reached only through
lms.research_codes; the migration re-keys existing answers; no page that names people shows one."""

import importlib
import io
import zipfile

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Response
from certificates.models import Certificate
from courses.models import Cohort, SessionDelivery, ValidationRound
from lms.codes import READABLE_ALPHABET
from lms.models import ParticipantProfile, ResearchIdentity
from lms.research_codes import (
    profile_of_research_code,
    research_code_of,
    research_codes_of,
    research_codes_of_people,
)
from tests.factories import ProfileFactory, UserFactory
from tests.helpers import pdf_text, submit_response


def profile():
    return ProfileFactory(user=UserFactory())


def test_a_research_code_is_made_once_and_is_not_the_participant_code(db):
    person = profile()
    code = research_code_of(person)
    assert research_code_of(person) == research_code_of(person.pk) == code
    assert ResearchIdentity.objects.filter(profile=person).count() == 1
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert set("".join(groups)) <= set(READABLE_ALPHABET)
    assert code != person.participant_code
    assert code not in str(ResearchIdentity.objects.get(profile=person))


def test_many_codes_are_read_in_one_query(db, django_assert_num_queries):
    people = [profile() for _ in range(5)]
    for person in people[:3]:
        research_code_of(person)
    with django_assert_num_queries(1):
        codes = research_codes_of(people)
    assert set(codes) == {p.pk for p in people[:3]}
    created = research_codes_of(people, create=True)
    assert set(created) == {p.pk for p in people}
    assert created[people[0].pk] == codes[people[0].pk]
    assert len(set(created.values())) == 5
    with django_assert_num_queries(1):
        by_person = research_codes_of_people([p.user_id for p in people])
    assert by_person == {p.user_id: created[p.pk] for p in people}
    assert research_codes_of([]) == research_codes_of_people([]) == {}


def test_the_reverse_lookup_serves_data_rights_and_forgets_a_dissociated_person(db):
    person = profile()
    code = research_code_of(person)
    assert profile_of_research_code(code) == person
    assert profile_of_research_code("AAAA-BBBB-CCCC") is None
    ResearchIdentity.objects.filter(profile=person).delete()
    assert profile_of_research_code(code) is None
    assert research_code_of(person) != code  # a new code: the old answers stay dissociated


def _migration(label: str, name: str):
    return importlib.import_module(f"{label}.migrations.{name}")


def test_the_migration_gives_everyone_a_code_and_rekeys_their_answers(cohort_setup, instrument):
    enrollments = cohort_setup["enrollments"]
    ResearchIdentity.objects.all().delete()
    _migration("lms", "0008_research_identity").give_every_participant_a_research_code(apps, None)
    assert ResearchIdentity.objects.count() == ParticipantProfile.objects.count()

    # Answers as they were stored before: under the participant (roster) code.
    cohort = cohort_setup["cohort"]
    for enrollment in enrollments[:2]:
        for wave in ("pre", "post"):
            submit_response(
                instrument=instrument,
                cohort=cohort,
                code=enrollment.activist.profile.participant_code,
                wave=wave,
                answers={"tol_01": 2},
            )
    submit_response(instrument=instrument, cohort=cohort, code="GONE-0000", wave="pre", answers={})
    _migration("assessments", "0003_research_code").rekey_to_research_codes(apps, None)

    for enrollment in enrollments[:2]:
        profile = enrollment.activist.profile
        stored = Response.objects.filter(research_code=research_code_of(profile))
        assert sorted(stored.values_list("wave", flat=True)) == ["post", "pre"]
    assert not Response.objects.filter(
        research_code__in=ParticipantProfile.objects.values("participant_code")
    ).exists()
    orphan = Response.objects.exclude(
        research_code__in=ResearchIdentity.objects.values("research_code")
    ).get()
    assert orphan.research_code != "GONE-0000" and len(orphan.research_code) == 14


# --- Nothing that names people shows a research code -----------------------------------------

STAFF = (
    "admin",
    "coordinadora",
    "coordinadora-arequipa",
    "facilitador",
    "facilitadora-iquitos",
    "acreditadora",
)


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(content)[0]
    if response.get("Content-Type", "").startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        return "".join(
            archive.read(name).decode("utf-8-sig", errors="replace")
            for name in archive.namelist()
            if not name.endswith(".pdf")  # each certificate is read as its own download above
        )
    return content.decode("utf-8-sig", errors="replace")


def staff_pages() -> list[str]:
    """Every screen of people by name that staff open, for one cohort of the demo."""
    cohort = Cohort.objects.filter(deliveries__status="held").order_by("pk").first()
    delivery = SessionDelivery.objects.filter(cohort=cohort).order_by("pk").first()
    certificate = Certificate.objects.filter(enrollment__cohort__status="closed").first()
    ids = {"cohort_id": cohort.pk}
    validation = ValidationRound.objects.get()
    r = validation.pk
    participant = validation.participants.order_by("pk").first()
    admin_lists = (
        "participant_profiles",
        "enrollments",
        "cohorts",
        "session_deliveries",
        "audit_log",
    )
    return [
        reverse("home:dashboard"),
        reverse("courses:my_cohorts"),
        reverse("courses:cohort_detail", kwargs=ids),
        reverse("courses:attendance_sheet", kwargs=ids | {"delivery_id": delivery.pk}),
        reverse("courses:sign_in_sheet", kwargs=ids | {"delivery_id": delivery.pk}),
        reverse("certificates:cohort", kwargs=ids),
        reverse("certificates:cohort", kwargs={"cohort_id": certificate.enrollment.cohort_id}),
        reverse("certificates:verify", kwargs={"code": certificate.code}),
        reverse("accreditation:index"),
        reverse("accreditation:cohort", kwargs=ids),
        reverse("accreditation:cohort_csv", kwargs=ids),
        reverse("accreditation:cohort_pdf", kwargs=ids),
        reverse("audit_log"),
        reverse("assessments:analytics"),
        reverse("certificates:download", kwargs={"code": certificate.code}),
        reverse("certificates:cohort_zip", kwargs={"cohort_id": certificate.enrollment.cohort_id}),
        *(reverse(f"{name}:index") for name in admin_lists),
        reverse("participant_profiles:edit", args=[certificate.enrollment.activist.profile.pk]),
        reverse("wagtailadmin_home"),
        reverse("validation:round", args=[r]),
        reverse("validation:participants", args=[r]),
        reverse("validation:paper_list", args=[r]),
        reverse("validation:paper_entry", args=[r, participant.pk]),
        reverse("validation:results", args=[r]),
        reverse("validation:finding", args=[r, validation.findings.order_by("pk").first().pk]),
        reverse("validation:export", args=[r, "informe.pdf"]),
        reverse("validation:export", args=[r, "resumen.csv"]),
    ]


def test_no_page_that_names_people_shows_a_research_code(client, db):
    call_command("seed_demo", verbosity=0)
    research_codes = set(ResearchIdentity.objects.values_list("research_code", flat=True))
    assert Response.objects.filter(research_code__in=research_codes).count() > 100
    pages, opened = staff_pages(), 0
    for username in STAFF:
        client.force_login(apps.get_model("auth.User").objects.get(username=username))
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            opened += 1
            body = _body(response)
            found = [code for code in research_codes if code in body]
            assert not found, f"{username} sees research codes at {url}"
    assert opened > 40, opened


def test_the_research_export_carries_research_codes_and_no_roster_code(client, db):
    call_command("seed_demo", verbosity=0)
    client.force_login(apps.get_model("auth.User").objects.get(username="coordinadora"))
    instrument = Response.objects.values_list("instrument_id", flat=True).first()
    export = client.get(reverse("assessments:export_responses"), {"instrument": instrument})
    assert export.status_code == 200
    body = _body(export)
    roster = set(ParticipantProfile.objects.values_list("participant_code", flat=True))
    research = set(ResearchIdentity.objects.values_list("research_code", flat=True))
    assert any(code in body for code in research)
    assert not [code for code in roster if code in body]


def test_the_validation_export_carries_research_codes_and_no_roster_code(client, db):
    call_command("seed_demo", verbosity=0)
    client.force_login(apps.get_model("auth.User").objects.get(username="coordinadora"))
    validation = ValidationRound.objects.get()
    export = client.get(reverse("validation:export", args=[validation.pk, "opiniones.csv"]))
    assert export.status_code == 200
    body = _body(export)
    roster = set(ParticipantProfile.objects.values_list("participant_code", flat=True))
    research = set(ResearchIdentity.objects.values_list("research_code", flat=True))
    assert sum(code in body for code in research) == validation.feedback.count()
    assert not [code for code in roster if code in body]
