"""The access module, as a table: each role × each kind of object × read and manage.

Two sites, A (Villa María del Triunfo) and B (Arequipa), hold one object of every kind each: a
CEM, a cohort with its trainer and one enrolled activist, a session delivery, a certificate, a
questionnaire response, an audit-log entry, and a validation round with that activist taking
part, her feedback, a workshop and a finding. Each cell of the table says which of the two
objects a role reaches: "A", "B", both ("AB") or none (""). "figures" is what a role adds up
(:func:`lms.access.in_figures`).
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from assessments.models import Response
from certificates.models import Certificate
from courses.models import (
    Cohort,
    Enrollment,
    SessionDelivery,
    ValidationFeedback,
    ValidationFinding,
    ValidationParticipant,
    ValidationRound,
    ValidationWorkshop,
)
from lms import access
from lms.audit import audit_record
from lms.models import CEM, AuditLogEntry, ParticipantProfile, Site
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    UserFactory,
    person,
    site,
)
from tests.helpers import submit_response

ROLES = (
    "anonymous",
    "activist",  # enrolled in the cohort of site A
    "other_activist",  # enrolled in the cohort of site B
    "trainer",  # trains the cohort of site A
    "other_trainer",  # trains the cohort of site B
    "site_coordinator",  # of site A
    "other_site_coordinator",  # of site B
    "national_coordinator",
    "accreditor",
    "superuser",
)

# (kind, verb): what each role of ROLES reaches, in order.
TABLE = {
    (Site, "read"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (Site, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (CEM, "read"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (CEM, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (ParticipantProfile, "read"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (ParticipantProfile, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (Cohort, "read"): ("", "", "", "A", "B", "A", "B", "AB", "AB", "AB"),
    (Cohort, "manage"): ("", "", "", "A", "B", "A", "B", "AB", "", "AB"),
    (Enrollment, "read"): ("", "A", "B", "A", "B", "A", "B", "AB", "AB", "AB"),
    (Enrollment, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (SessionDelivery, "read"): ("", "A", "B", "A", "B", "A", "B", "AB", "AB", "AB"),
    (SessionDelivery, "manage"): ("", "", "", "A", "B", "A", "B", "AB", "", "AB"),
    (Certificate, "read"): ("", "A", "B", "A", "B", "A", "B", "AB", "AB", "AB"),
    (Certificate, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    # Answers are read as aggregates by coordinators only; nobody changes them.
    (Response, "read"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (Response, "manage"): ("", "", "", "", "", "", "", "", "", ""),
    # The audit log is read by coordinators and accreditors and written by nobody.
    (AuditLogEntry, "read"): ("", "", "", "", "", "A", "B", "AB", "AB", "AB"),
    (AuditLogEntry, "manage"): ("", "", "", "", "", "", "", "", "", ""),
    # Curriculum validation: a site's trainers run its workshops and paper forms; feedback is
    # read one by one by coordinators only, added up by accreditors too.
    (ValidationRound, "read"): ("", "", "", "A", "B", "A", "B", "AB", "AB", "AB"),
    (ValidationRound, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (ValidationParticipant, "read"): ("", "A", "B", "A", "B", "A", "B", "AB", "", "AB"),
    (ValidationParticipant, "manage"): ("", "", "", "A", "B", "A", "B", "AB", "", "AB"),
    (ValidationFeedback, "read"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
    (ValidationFeedback, "manage"): ("", "", "", "", "", "", "", "", "", ""),
    (ValidationFeedback, "figures"): ("", "", "", "", "", "A", "B", "AB", "AB", "AB"),
    (ValidationWorkshop, "read"): ("", "", "", "A", "B", "A", "B", "AB", "", "AB"),
    (ValidationWorkshop, "manage"): ("", "", "", "A", "B", "A", "B", "AB", "", "AB"),
    (ValidationWorkshop, "figures"): ("", "", "", "A", "B", "A", "B", "AB", "AB", "AB"),
    (ValidationFinding, "read"): ("", "", "", "", "", "A", "B", "AB", "AB", "AB"),
    (ValidationFinding, "manage"): ("", "", "", "", "", "A", "B", "AB", "", "AB"),
}


def certificate_for(enrollment: Enrollment, code: str) -> Certificate:
    cohort = enrollment.cohort
    return Certificate.objects.create(
        enrollment=enrollment,
        code=code,
        full_name=enrollment.activist.get_full_name(),
        participant_code=enrollment.activist.profile.participant_code,
        course_title=cohort.course.title,
        course_code=cohort.course.code,
        curriculum_version="1.0",
        credit_hours=4,
        accrediting_institution="Universidad",
        issuer="Programa",
        site_name=cohort.cem.site.name,
        cem_name=cohort.cem.name,
        cohort_start=cohort.start_date,
        cohort_end=cohort.end_date,
        issued_on=timezone.localdate(),
    )


def one_site(course, session, instrument, slug: str, label: str) -> dict:
    cem = CEMFactory(site=site(slug), name=f"CEM {label}")
    trainer = person(Role.TRAINER, cem=cem)
    cohort = CohortFactory(course=course, cem=cem, trainers=[trainer], name=f"Grupo {label}")
    enrollment = EnrollmentFactory(cohort=cohort)
    return {
        "site": cem.site,
        "cem": cem,
        "trainer": trainer,
        "activist": enrollment.activist,
        "cohort": cohort,
        "enrollment": enrollment,
        "profile": enrollment.activist.profile,
        "delivery": SessionDeliveryFactory(cohort=cohort, session=session),
        "certificate": certificate_for(enrollment, f"CODE-{label}"),
        "response": submit_response(
            instrument=instrument,
            cohort=cohort,
            code=research_code_of(enrollment.activist.profile),
            wave="pre",
            answers={},
        ),
        "entry": audit_record(
            actor=None, action="create", instance=cohort, site=cem.site, after={}
        ),
    } | validation_at(course, cem, enrollment.activist, label)


def validation_at(course, cem, activist, label: str) -> dict:
    """A round of one site with `activist` taking part, her feedback, a workshop, a finding."""
    import uuid

    from courses.validation.services.findings import finding_save
    from courses.validation.services.participants import participants_add
    from courses.validation.services.rounds import round_open
    from courses.validation.services.workshops import WorkshopRecord, workshop_record
    from tests.helpers import give_feedback, ratings, validation_round

    maker = UserFactory(username=f"maker-{label}", is_superuser=True)
    places = {"sites": {label: cem.site}, "cems": {label: cem}}
    round_ = validation_round(course, places, maker, keys=label)
    round_open(actor=maker, round=round_)
    [participant] = participants_add(actor=maker, round=round_, people=[activist])
    feedback, _created = give_feedback(participant, {round_.items.first().code: ratings(4)})
    workshop, _created = workshop_record(
        actor=maker,
        round=round_,
        record=WorkshopRecord(
            site=cem.site, held_on=round_.starts_on, headcount={("F", "20-29"): 5}
        ),
        client_uuid=uuid.uuid4(),
    )
    finding = finding_save(
        actor=maker, round=round_, title=label, items=[round_.items.first()], evidence="…"
    )
    return {
        "round": round_,
        "participant": participant,
        "feedback": feedback,
        "workshop": workshop,
        "finding": finding,
    }


@pytest.fixture
def world(course, session_page, instrument):
    course.save_revision()
    a = one_site(course, session_page, instrument, "villa-maria-del-triunfo", "A")
    b = one_site(course, session_page, instrument, "arequipa", "B")
    users = {
        "anonymous": None,
        "activist": a["activist"],
        "other_activist": b["activist"],
        "trainer": a["trainer"],
        "other_trainer": b["trainer"],
        "site_coordinator": person(Role.COORDINATOR, site_=a["site"]),
        "other_site_coordinator": person(Role.COORDINATOR, site_=b["site"]),
        "national_coordinator": person(Role.COORDINATOR),
        "accreditor": person(Role.ACCREDITOR),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    return {"A": a, "B": b, "users": users}


KEY = {
    Site: "site",
    CEM: "cem",
    ParticipantProfile: "profile",
    Cohort: "cohort",
    Enrollment: "enrollment",
    SessionDelivery: "delivery",
    Certificate: "certificate",
    Response: "response",
    AuditLogEntry: "entry",
    ValidationRound: "round",
    ValidationParticipant: "participant",
    ValidationFeedback: "feedback",
    ValidationWorkshop: "workshop",
    ValidationFinding: "finding",
}


@pytest.mark.parametrize(
    ("model", "verb"), list(TABLE), ids=[f"{m.__name__}-{v}" for m, v in TABLE]
)
def test_access_table(world, model, verb):
    """Each role reaches exactly the objects of its cell, and looking up any other one is 404
    like looking up an object that does not exist."""
    scoped = {"read": access.readable, "manage": access.manageable, "figures": access.in_figures}[
        verb
    ]
    lookup = access.read_or_404 if verb == "read" else access.manage_or_404
    objects = {name: world[name][KEY[model]] for name in "AB"}
    wrong = []
    for role, reach in zip(ROLES, TABLE[model, verb], strict=True):
        user = world["users"][role]
        found = scoped(user, model).filter(pk__in=[o.pk for o in objects.values()])
        if set(found) != {objects[name] for name in reach}:
            wrong.append(f"{role} reaches {sorted(str(o) for o in found)}, not {reach!r}")
        for name, obj in objects.items():
            if verb == "figures":
                continue  # added up, never looked up one by one
            try:
                reached = lookup(user, model, pk=obj.pk) == obj
            except Http404:
                reached = False
            if reached != (name in reach):
                wrong.append(f"{role}: looking up {name} gives {reached}")
        if verb != "figures":
            with pytest.raises(Http404):
                lookup(user, model, pk=10**9)
    assert not wrong, "\n".join(wrong)


def test_many_trainers_and_enrollments_never_repeat_a_row(world):
    a = world["A"]
    second_trainer = person(Role.TRAINER, cem=a["cem"])
    a["cohort"].trainers.add(second_trainer)
    EnrollmentFactory(cohort=a["cohort"])
    coordinator_who_trains = world["users"]["site_coordinator"]
    coordinator_who_trains.groups.add(Group.objects.get(name=Role.TRAINER))
    a["cohort"].trainers.add(coordinator_who_trains)
    assert list(access.readable(coordinator_who_trains, Cohort)) == [a["cohort"]]
    assert list(access.owned(a["activist"], SessionDelivery)) == [a["delivery"]]


def test_owned_and_trained_are_ones_own_even_for_a_superuser(world):
    root = world["users"]["superuser"]
    assert not access.owned(root, Enrollment).exists()
    assert not access.trained(root, Cohort).exists()
    assert list(access.owned(world["A"]["activist"], Certificate)) == [world["A"]["certificate"]]
    assert list(access.trained(world["B"]["trainer"], Cohort)) == [world["B"]["cohort"]]


def test_a_coordinator_who_trains_elsewhere_coordinates_only_her_site(world):
    coordinator = world["users"]["site_coordinator"]
    coordinator.groups.add(Group.objects.get(name=Role.TRAINER))
    world["B"]["cohort"].trainers.add(coordinator)
    assert set(access.manageable(coordinator, Cohort)) == {
        world["A"]["cohort"],
        world["B"]["cohort"],
    }
    assert list(access.coordinated(coordinator, Cohort)) == [world["A"]["cohort"]]


def test_the_coordination_scope_of_each_role(world):
    users = world["users"]
    assert access.coordination_scope(users["site_coordinator"]).site() == world["A"]["site"]
    assert access.coordination_scope(users["national_coordinator"]).every
    assert access.coordination_scope(users["superuser"]).every
    for role in ("anonymous", "activist", "trainer", "accreditor"):
        assert access.coordination_scope(users[role]).is_empty


def test_people_are_coordinated_through_their_profiles_site(world):
    people = User.objects.filter(groups__name=Role.ACTIVIST)
    assert set(access.coordinated(world["users"]["other_site_coordinator"], people)) == {
        world["B"]["activist"]
    }


def test_a_read_filter_counts_only_rows_in_scope(world):
    from django.db.models import Count

    from assessments.models import Instrument

    def submitted(user) -> int:
        condition = access.read_filter(user, Response, through="responses")
        return Instrument.objects.annotate(n=Count("responses", filter=condition)).get().n

    assert submitted(world["users"]["site_coordinator"]) == 1
    assert submitted(world["users"]["national_coordinator"]) == 2
    assert submitted(world["users"]["accreditor"]) == 0


# --- Role checks ------------------------------------------------------------------------------


COORDINATORS = {"site_coordinator", "other_site_coordinator", "national_coordinator"}
TRAINERS = {"trainer", "other_trainer"}


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        (access.RUNS_SESSIONS, TRAINERS | COORDINATORS),
        (access.READS_ROSTERS, TRAINERS | COORDINATORS | {"accreditor"}),
        (access.FOLLOWS_COURSES, {"activist", "other_activist"}),
        (access.READS_EVIDENCE, COORDINATORS | {"accreditor"}),
        (access.COORDINATES, COORDINATORS),
    ],
    ids=["runs sessions", "reads rosters", "follows courses", "reads evidence", "coordinates"],
)
def test_role_required_refuses_everybody_else_with_403(world, roles, allowed):
    @access.role_required(roles)
    def view(request):
        return HttpResponse("ok")

    for role, user in world["users"].items():
        request = RequestFactory().get("/")
        request.user = user or AnonymousUser()
        if role in allowed | {"superuser"}:
            assert view(request).status_code == 200, role
        else:
            with pytest.raises(PermissionDenied):
                view(request)


def test_facilitator_notes_are_for_those_who_run_sessions(world):
    users = world["users"]
    readers = {role for role, user in users.items() if access.sees_facilitator_notes(user)}
    assert readers == {
        # Certified activists run the curriculum's sessions with their community groups.
        "activist",
        "other_activist",
        "trainer",
        "other_trainer",
        "site_coordinator",
        "other_site_coordinator",
        "national_coordinator",
        "superuser",
    }


# --- A new kind is one entry ------------------------------------------------------------------


def test_a_new_kind_with_site_trainers_is_one_entry(world, monkeypatch):
    """E.g. an activist's community groups: hers, her site's trainers' and coordinators'."""
    monkeypatch.setitem(
        access.KINDS,
        "lms.ParticipantProfile",
        access.Kind(
            site="site",
            owner="user",
            read=access.OWNER | access.SITE_TRAINERS | access.COORDINATORS,
            manage=access.OWNER,
        ),
    )
    a, b, users = world["A"], world["B"], world["users"]
    profiles = ParticipantProfile.objects.filter(pk__in=[a["profile"].pk, b["profile"].pk])
    assert list(access.readable(users["activist"], profiles)) == [a["profile"]]
    assert list(access.readable(users["other_trainer"], profiles)) == [b["profile"]]
    assert list(access.readable(users["site_coordinator"], profiles)) == [a["profile"]]
    assert not access.readable(users["accreditor"], profiles).exists()
    assert list(access.manageable(users["other_activist"], profiles)) == [b["profile"]]


def test_a_model_without_a_rule_is_refused_loudly(db):
    from wagtail.models import Page

    with pytest.raises(LookupError, match="lms.access.KINDS"):
        access.readable(None, Page)


def test_only_national_coordinators_give_a_site_to_coordinators_and_accreditors(world):
    plain = UserFactory(roles=[Role.ACTIVIST])
    accreditor = UserFactory(roles=[Role.ACCREDITOR])
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    staff = UserFactory(is_staff=True)
    users = world["users"]
    everybody = {plain, accreditor, coordinator, staff}
    assert set(access.profile_candidates(users["national_coordinator"])) == everybody
    assert set(access.profile_candidates(users["superuser"])) == everybody
    assert set(access.profile_candidates(users["site_coordinator"])) == {plain}
    for role in ("trainer", "accreditor", "activist", "anonymous"):
        assert not access.profile_candidates(users[role]).exists()


def test_sites_to_manage_say_where_a_user_creates_a_record(world):
    users, a, b = world["users"], world["A"]["site"], world["B"]["site"]
    sites = {role: set(access.sites_to_manage(u, ValidationWorkshop)) for role, u in users.items()}
    assert sites["trainer"] == {a}  # her own site's workshops
    assert sites["site_coordinator"] == {a}
    assert sites["national_coordinator"] >= {a, b}
    assert sites["accreditor"] == sites["activist"] == sites["anonymous"] == set()
    assert set(access.sites_to_manage(users["trainer"], ValidationRound)) == set()


def test_what_spans_sites_is_changed_by_who_coordinates_them_all(world):
    users, a, b = world["users"], world["A"]["site"].pk, world["B"]["site"].pk
    assert access.coordinates_sites(users["site_coordinator"], [a])
    assert not access.coordinates_sites(users["site_coordinator"], [a, b])
    assert access.coordinates_sites(users["national_coordinator"], [a, b])
    assert not access.coordinates_sites(users["accreditor"], [a])
