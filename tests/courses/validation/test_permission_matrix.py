"""Every validation screen × every role, through the access module: who gets the page, who is
refused (403, a role that never uses it), who gets 404 (a round or record outside her scope).

The round spans Villa María del Triunfo (A) and Arequipa (B); Iquitos (C) is not part of it."""

import uuid

import pytest
from django.urls import reverse

from courses.validation.services.findings import finding_save
from courses.validation.services.participants import participants_add, validation_consent_decide
from courses.validation.services.rounds import round_open
from courses.validation.services.workshops import WorkshopRecord, workshop_record
from lms.roles import Role
from tests.factories import UserFactory, person
from tests.helpers import activist_at, validation_round

ROLES = [
    "anonymous",
    "activist",  # takes part in the round, at A
    "other_activist",  # at C, not in the round
    "trainer",  # of A
    "other_trainer",  # of C
    "site_coordinator",  # of A
    "other_site_coordinator",  # of C
    "national_coordinator",
    "accreditor",
    "superuser",
]
TEAM_ONLY = [302, 403, 403, 200, 404, 200, 404, 200, 403, 200]
COORDINATORS = [302, 403, 403, 403, 403, 200, 404, 200, 403, 200]
EVIDENCE = [302, 403, 403, 403, 403, 200, 404, 200, 200, 200]
NATIONAL_POST = [302, 403, 403, 403, 403, 403, 404, 302, 403, 302]
ACTIVIST = [302, 200, 404, 403, 403, 403, 403, 403, 403, 404]

# view: (method, url name, expected status per role, in the order of ROLES)
MATRIX = {
    "index": ("get", [302, 403, 403, 200, 200, 200, 200, 200, 200, 200]),
    "round_new": ("get", [302, 403, 403, 403, 403, 200, 200, 200, 403, 200]),
    "round": ("get", [302, 403, 403, 200, 404, 200, 404, 200, 200, 200]),
    "round_edit": ("get", [302, 403, 403, 403, 403, 403, 404, 200, 403, 200]),
    "round_status": ("post", NATIONAL_POST),
    "concept_add": ("post", NATIONAL_POST),
    "item_remove": ("post", NATIONAL_POST),
    "participants": ("get", TEAM_ONLY),
    "participants_add": ("post", [302, 403, 403, 403, 404, 200, 404, 200, 403, 200]),
    "participants_import": ("get", COORDINATORS),
    "participant_remove": ("post", [302, 403, 403, 403, 403, 302, 404, 302, 403, 302]),
    "paper_form": ("get", TEAM_ONLY),
    "paper_list": ("get", TEAM_ONLY),
    "paper_entry": ("get", TEAM_ONLY),
    "workshop_new": ("get", TEAM_ONLY),
    "workshop": ("get", TEAM_ONLY),
    "results": ("get", EVIDENCE),
    "finding_new": ("get", COORDINATORS),
    "finding": ("get", EVIDENCE),
    "finding_edit": ("get", COORDINATORS),
    "export_report": ("get", EVIDENCE),
    "export_summary": ("get", EVIDENCE),
    "export_feedback": ("get", COORDINATORS),
    "export_dictionary": ("get", COORDINATORS),
    "take_part": ("get", ACTIVIST),
    "feedback": ("get", [302, 302, 404, 403, 403, 403, 403, 403, 403, 404]),
    "thanks": ("get", [302, 302, 404, 403, 403, 403, 403, 403, 403, 404]),
}


@pytest.fixture
def world(draft_course, places):
    national = person(Role.COORDINATOR)
    round_ = validation_round(draft_course["course"], places, national, keys="AB")
    item = round_.items.first()
    round_open(actor=national, round=round_)
    activist = activist_at(places["cems"]["A"])
    participant, stays = participants_add(
        actor=national, round=round_, people=[activist, activist_at(places["cems"]["A"])]
    )
    # Something is recorded for her: a removal that is allowed is refused by the service, so
    # that every role meets the same round.
    validation_consent_decide(participant=stays, accepted=False, text_version="v1")
    workshop, _ = workshop_record(
        actor=national,
        round=round_,
        record=WorkshopRecord(
            site=places["sites"]["A"], held_on=round_.starts_on, headcount={("F", "20-29"): 6}
        ),
        client_uuid=uuid.uuid4(),
    )
    finding = finding_save(
        actor=national, round=round_, title="Hallazgo", items=[item], evidence="…"
    )
    users = {
        "anonymous": None,
        "activist": activist,
        "other_activist": activist_at(places["cems"]["C"]),
        "trainer": person(Role.TRAINER, cem=places["cems"]["A"]),
        "other_trainer": person(Role.TRAINER, cem=places["cems"]["C"]),
        "site_coordinator": person(Role.COORDINATOR, site_=places["sites"]["A"]),
        "other_site_coordinator": person(Role.COORDINATOR, site_=places["sites"]["C"]),
        "national_coordinator": national,
        "accreditor": person(Role.ACCREDITOR),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    r = round_.pk
    urls = {
        "index": reverse("validation:index"),
        "round_new": reverse("validation:round_new"),
        "round": reverse("validation:round", args=[r]),
        "round_edit": reverse("validation:round_edit", args=[r]),
        "round_status": reverse("validation:round_status", args=[r]),
        "concept_add": reverse("validation:concept_add", args=[r]),
        "item_remove": reverse("validation:item_remove", args=[r, item.pk]),
        "participants": reverse("validation:participants", args=[r]),
        "participants_add": reverse("validation:participants", args=[r]),
        "participants_import": reverse("validation:participants_import", args=[r]),
        "participant_remove": reverse("validation:participant_remove", args=[r, stays.pk]),
        "paper_form": reverse("validation:paper_form", args=[r]),
        "paper_list": reverse("validation:paper_list", args=[r]),
        "paper_entry": reverse("validation:paper_entry", args=[r, participant.pk]),
        "workshop_new": reverse("validation:workshop_new", args=[r]),
        "workshop": reverse("validation:workshop", args=[r, workshop.pk]),
        "results": reverse("validation:results", args=[r]),
        "finding_new": reverse("validation:finding_new", args=[r]),
        "finding": reverse("validation:finding", args=[r, finding.pk]),
        "finding_edit": reverse("validation:finding_edit", args=[r, finding.pk]),
        "export_report": reverse("validation:export", args=[r, "informe.pdf"]),
        "export_summary": reverse("validation:export", args=[r, "resumen.csv"]),
        "export_feedback": reverse("validation:export", args=[r, "opiniones.csv"]),
        "export_dictionary": reverse("validation:export", args=[r, "diccionario.csv"]),
        "take_part": reverse("validation:take_part", args=[r]),
        "feedback": reverse("validation:feedback", args=[r]),
        "thanks": reverse("validation:thanks", args=[r]),
    }
    return {"users": users, "urls": urls, "round": round_}


@pytest.mark.parametrize("view", list(MATRIX))
def test_permission_matrix(client, world, view):
    method, statuses = MATRIX[view]
    # POSTs that change nothing when allowed: an unknown action, an empty concept, an item of
    # an open round, someone with a recorded decision, nobody chosen.
    data = {"action": "nothing"} if view == "round_status" else {}
    wrong = []
    for role, expected in zip(ROLES, statuses, strict=True):
        client.logout()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(world["urls"][view], data)
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code}, expected {expected}")
        elif role == "anonymous" and not response["Location"].startswith(reverse("login")):
            wrong.append(f"anonymous sent to {response['Location']}")
    assert not wrong, f"{view}:\n" + "\n".join(wrong)


def test_the_refused_posts_changed_nothing(client, world):
    round_ = world["round"]
    round_.refresh_from_db()
    before = (round_.items.count(), round_.participants.count(), round_.status)
    client.force_login(world["users"]["national_coordinator"])
    for view in ("round_status", "concept_add", "item_remove", "participant_remove"):
        client.post(world["urls"][view], {"action": "nothing"})
    round_.refresh_from_db()
    assert (round_.items.count(), round_.participants.count(), round_.status) == before
