"""Every delivery, audit and validation view × every role: who gets the page, who is refused, who
gets 404. (Every screen of a validation round is in tests/courses/validation.)

A role that never uses a view gets 403 whatever the id; an object outside the user's scope
gets 404, so an id reveals nothing about what exists."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.cascade.services import replica_record
from courses.offline.paper import sheet_code
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    CommunityGroupFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    UserFactory,
    person,
    site,
)
from tests.helpers import image_bytes, replica_input

ROLES = [
    "anonymous",
    "activist",
    "other_activist",
    "trainer",
    "other_trainer",
    "site_coordinator",
    "other_site_coordinator",
    "national_coordinator",
    "accreditor",
    "superuser",
]

# view: (method, expected status per role, in the order of ROLES)
MATRIX = {
    "my_cohorts": ("get", [302, 403, 403, 200, 200, 200, 200, 200, 403, 200]),
    "cohort_detail": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 200, 200]),
    "attendance_sheet": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 403, 200]),
    "attendance_sheet_post": ("post", [302, 403, 403, 302, 404, 302, 404, 302, 403, 302]),
    "sign_in_sheet": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 403, 200]),
    # Activists who run replica sessions (both, here) keep an outbox too.
    "offline_device": ("get", [302, 200, 200, 200, 200, 200, 200, 200, 403, 200]),
    "offline_bundle": ("get", [302, 403, 403, 200, 200, 200, 200, 200, 403, 200]),
    # The code of the past session: its sheet, or back to Mis grupos with "no such code".
    "paper_sheet": ("get", [302, 403, 403, 302, 302, 302, 302, 302, 403, 302]),
    "my_courses": ("get", [302, 200, 200, 403, 403, 403, 403, 403, 403, 200]),
    # The activist's own enrollment: anyone else's by URL is 404.
    "enrollment_detail": ("get", [302, 200, 404, 403, 403, 403, 403, 403, 403, 404]),
    # An upcoming session of the activist's cohort.
    "absence_announce": ("post", [302, 302, 404, 403, 403, 403, 403, 403, 403, 404]),
    "audit_log": ("get", [302, 403, 403, 403, 403, 200, 200, 200, 200, 200]),
    # A validation round at the cohort's site, in which the activist takes part.
    "validation_index": ("get", [302, 403, 403, 200, 200, 200, 200, 200, 200, 200]),
    "validation_round": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 200, 200]),
    "validation_results": ("get", [302, 403, 403, 403, 403, 200, 404, 200, 200, 200]),
    "validation_feedback_csv": ("get", [302, 403, 403, 403, 403, 200, 404, 200, 403, 200]),
    "validation_take_part": ("get", [302, 200, 404, 403, 403, 403, 403, 403, 403, 404]),
    # The cascade: both activists practise the course; the group and session are the first's.
    "my_community_groups": ("get", [302, 200, 200, 403, 403, 403, 403, 403, 403, 403]),
    "community_group_create": ("get", [302, 200, 200, 403, 403, 403, 403, 403, 403, 403]),
    "replica_create": ("get", [302, 200, 404, 403, 403, 403, 403, 403, 403, 403]),
    "replica_verify_list": ("get", [302, 403, 403, 200, 200, 200, 200, 200, 403, 200]),
    "replica_detail": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 403, 200]),
    "replica_verify": ("post", [302, 403, 403, 302, 404, 302, 404, 302, 403, 302]),
    "replica_photo": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 403, 200]),
    "reach": ("get", [302, 403, 403, 403, 403, 200, 200, 200, 200, 200]),
    "reach_export": ("get", [302, 403, 403, 403, 403, 200, 200, 200, 200, 200]),
    "community_offline_bundle": ("get", [302, 200, 200, 403, 403, 403, 403, 403, 403, 403]),
}

CASES = [
    pytest.param(view, role, method, statuses[i], id=f"{view}-{role}")
    for view, (method, statuses) in MATRIX.items()
    for i, role in enumerate(ROLES)
]


def _validation_round(course, cohort, users):
    """An open round at the cohort's site; its first activist takes part."""
    from courses.validation.services.participants import participants_add
    from courses.validation.services.rounds import round_create, round_open

    course.save_revision()
    today = timezone.localdate()
    national = users["national_coordinator"]
    round_ = round_create(
        actor=national,
        course=course,
        revision=None,
        title="Validación",
        sites=[cohort.cem.site],
        cems=[cohort.cem],
        starts_on=today,
        ends_on=today,
        consent_version="1",
        consent_text="Consentimiento.",
    )
    round_open(actor=national, round=round_)
    participants_add(actor=national, round=round_, people=[users["activist"]])
    return round_


@pytest.fixture
def world(cohort_setup, course):
    cohort, sessions = cohort_setup["cohort"], cohort_setup["sessions"]
    course.practice_amount = 1  # its activists may report replica sessions
    course.save()
    past = SessionDeliveryFactory(cohort=cohort, session=sessions[0])
    upcoming = SessionDeliveryFactory(
        cohort=cohort, session=sessions[1], scheduled_at=timezone.now() + dt.timedelta(days=7)
    )
    other_cem = CEMFactory(site=site("arequipa"), name="CEM Arequipa")
    other_trainer = person(Role.TRAINER, cem=other_cem)
    other_cohort = CohortFactory(course=course, cem=other_cem, trainers=[other_trainer])
    other_enrollment = EnrollmentFactory(cohort=other_cohort)
    users = {
        "anonymous": None,
        "activist": cohort_setup["enrollments"][0].activist,
        "other_activist": other_enrollment.activist,
        "trainer": cohort_setup["trainer"],
        "other_trainer": other_trainer,
        "site_coordinator": person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo")),
        "other_site_coordinator": person(Role.COORDINATOR, site_=site("arequipa")),
        "national_coordinator": person(Role.COORDINATOR),
        "accreditor": person(Role.ACCREDITOR),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    round_ = _validation_round(course, cohort, users)
    activist = users["activist"]
    group = CommunityGroupFactory(activist=activist, course=course, cem=cohort.cem)
    replica = replica_record(
        actor=activist,
        group=group,
        data=replica_input(sessions, days_ago=1, photo=image_bytes()),
    ).replica
    sheet = reverse("courses:attendance_sheet", args=[cohort.pk, past.pk])
    urls = {
        "my_cohorts": reverse("courses:my_cohorts"),
        "cohort_detail": reverse("courses:cohort_detail", args=[cohort.pk]),
        "attendance_sheet": sheet,
        "attendance_sheet_post": sheet,
        "sign_in_sheet": reverse("courses:sign_in_sheet", args=[cohort.pk, past.pk]),
        "offline_device": reverse("courses:offline_device"),
        "offline_bundle": reverse("courses:offline_bundle"),
        "paper_sheet": reverse("courses:paper_sheet") + f"?codigo={sheet_code(past.pk)}",
        "my_courses": reverse("courses:my_courses"),
        "enrollment_detail": reverse(
            "courses:enrollment_detail", args=[cohort_setup["enrollments"][0].pk]
        ),
        "absence_announce": reverse("courses:absence_announce", args=[upcoming.pk]),
        "audit_log": reverse("audit_log"),
        "validation_index": reverse("validation:index"),
        "validation_round": reverse("validation:round", args=[round_.pk]),
        "validation_results": reverse("validation:results", args=[round_.pk]),
        "validation_feedback_csv": reverse("validation:export", args=[round_.pk, "opiniones.csv"]),
        "validation_take_part": reverse("validation:take_part", args=[round_.pk]),
        "my_community_groups": reverse("cascade:my_groups"),
        "community_group_create": reverse("cascade:group_create"),
        "replica_create": reverse("cascade:replica_create", args=[group.pk]),
        "replica_verify_list": reverse("cascade:verify_list"),
        "replica_detail": reverse("cascade:replica_detail", args=[replica.pk]),
        "replica_verify": reverse("cascade:replica_detail", args=[replica.pk]),
        "replica_photo": reverse("cascade:replica_photo", args=[replica.pk]),
        "reach": reverse("cascade:reach"),
        "reach_export": reverse("cascade:export"),
        "community_offline_bundle": reverse("cascade:bundle"),
    }
    return {
        "users": users,
        "urls": urls,
        "group": group,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "past": past,
    }


@pytest.mark.parametrize(("view", "role", "method", "expected"), CASES)
def test_permission_matrix(client, world, view, role, method, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    data = {"all_present": "1"} if view == "attendance_sheet_post" else {}
    if view == "replica_verify":
        data = {"action": "verify"}
    response = getattr(client, method)(world["urls"][view], data)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# The device's sync endpoint answers JSON: 401 rather than the login page, 201 when saved.
SYNC = [401, 403, 403, 201, 404, 201, 404, 201, 403, 201]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, SYNC, strict=True)), ids=ROLES)
def test_permission_matrix_of_the_sync_endpoint(client, world, role, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    past = world["past"]
    sheet = {
        "uuid": str(uuid.uuid4()),
        "recorded_by": user.pk if user else 1,
        "device_time": timezone.now().isoformat(),
        "marks": [
            {"enrollment": e.pk, "uuid": str(uuid.uuid4()), "status": "P"}
            for e in world["cohort"].enrollments.all()
        ],
    }
    response = client.post(
        reverse("courses:attendance_sync", args=[world["cohort"].pk, past.pk]),
        json.dumps(sheet),
        content_type="application/json",
    )
    assert response.status_code == expected
    assert past.attendance.count() == (3 if expected == 201 else 0)


def test_a_trainer_cannot_reach_another_cohorts_delivery_through_their_own_cohort(
    client, world, cohort_setup
):
    """The delivery must belong to the cohort of the URL: mixing ids answers 404."""
    other = world["other_cohort"]
    foreign = SessionDeliveryFactory(cohort=other, session=cohort_setup["sessions"][0])
    client.force_login(cohort_setup["trainer"])
    own = world["cohort"].pk
    for name in ("courses:attendance_sheet", "courses:sign_in_sheet"):
        assert client.get(reverse(name, args=[own, foreign.pk])).status_code == 404
    response = client.post(
        reverse("courses:attendance_sheet", args=[own, foreign.pk]), {"all_present": "1"}
    )
    assert response.status_code == 404
    assert not foreign.attendance.exists()


def test_an_activist_who_also_trains_does_not_see_the_roster_of_their_own_course(client, world):
    """Being enrolled in a cohort gives one's own records, never the others'."""
    from django.contrib.auth.models import Group

    activist = world["users"]["activist"]
    activist.groups.add(Group.objects.get(name=Role.TRAINER))
    client.force_login(activist)
    response = client.get(reverse("courses:cohort_detail", args=[world["cohort"].pk]))
    assert response.status_code == 404


def test_the_audit_log_has_no_post_handler(client, world):
    client.force_login(world["users"]["national_coordinator"])
    assert client.post(reverse("audit_log")).status_code == 405


# The activist's outbox endpoint answers JSON: her own group 201, another's 404.
REPLICA_SYNC = [401, 201, 404, 403, 403, 403, 403, 403, 403, 403]


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, REPLICA_SYNC, strict=True)), ids=ROLES
)
def test_permission_matrix_of_the_replica_endpoint(client, world, cohort_setup, role, expected):
    from courses.models import ReplicaSession

    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    body = {
        "uuid": str(uuid.uuid4()),
        "recorded_by": user.pk if user else 1,
        "device_time": timezone.now().isoformat(),
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": 60,
        "place": "Local",
        "sessions": [cohort_setup["sessions"][0].pk],
        "counts": {"women_18_29": 5},
    }
    before = ReplicaSession.objects.count()
    response = client.post(
        reverse("cascade:replica_sync", args=[world["group"].pk]), {"replica": json.dumps(body)}
    )
    assert response.status_code == expected
    assert ReplicaSession.objects.count() == before + (1 if expected == 201 else 0)
