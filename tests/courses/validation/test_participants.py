"""Who takes part: chosen from the profiles or imported from a CSV file, all or nothing; and
their consent, recorded like the questionnaires' consent."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import translation

from courses.validation.models import ValidationConsent, ValidationParticipant
from courses.validation.services.participants import (
    participant_remove,
    participants_add,
    participants_import,
    validation_consent_decide,
)
from lms.models import AuditLogEntry, ParticipantProfile
from lms.roles import Role
from tests.factories import CEMFactory, person, site
from tests.helpers import activist_at, give_feedback, ratings

HEADER = "nombres;apellidos;sexo;anio_nacimiento;cem;consentimiento_fecha"
YEAR = dt.date.today().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def roster(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def test_people_of_the_rounds_cems_are_added_with_their_site_and_cem(open_round, places, staff):
    maria = activist_at(places["cems"]["A"])
    juan = activist_at(places["cems"]["B"], sex="M")
    added = participants_add(actor=staff["national"], round=open_round, people=[maria, juan])
    assert {(p.person, p.site, p.cem) for p in added} == {
        (maria, places["sites"]["A"], places["cems"]["A"]),
        (juan, places["sites"]["B"], places["cems"]["B"]),
    }
    assert (
        AuditLogEntry.objects.filter(
            content_type__model="validationparticipant", action="create"
        ).count()
        == 2
    )


def test_one_wrong_person_and_nobody_is_added(open_round, places, staff):
    outsider = activist_at(CEMFactory(site=site("arequipa"), name="CEM ajeno"))
    trainer = person(Role.TRAINER, cem=places["cems"]["A"])
    fine = activist_at(places["cems"]["A"])
    with pytest.raises(ValidationError) as refused:
        participants_add(
            actor=staff["national"], round=open_round, people=[fine, outsider, trainer]
        )
    assert any("not registered at one of the round's CEMs" in m for m in refused.value.messages)
    assert any("is not an activist" in m for m in refused.value.messages)
    assert not ValidationParticipant.objects.exists()


def test_a_site_coordinator_adds_only_people_of_her_site(open_round, places, staff):
    other = activist_at(places["cems"]["B"])
    with pytest.raises(ValidationError, match="at a site you do not coordinate"):
        participants_add(actor=staff["coordinator_a"], round=open_round, people=[other])
    participants_add(
        actor=staff["coordinator_a"], round=open_round, people=[activist_at(places["cems"]["A"])]
    )


def test_nobody_takes_part_twice(open_round, places, staff):
    maria = activist_at(places["cems"]["A"])
    participants_add(actor=staff["national"], round=open_round, people=[maria])
    with pytest.raises(ValidationError, match="already takes part"):
        participants_add(actor=staff["national"], round=open_round, people=[maria])


def test_a_good_csv_adds_everybody_and_records_signed_consent(open_round, places, staff):
    registered = activist_at(places["cems"]["B"], first_name="Rosa", last_name="Ccama")
    registered.profile.birth_year = 1980
    registered.profile.save()
    data = roster(
        f"María Elena;Quispe Mamani;F;{YEAR - 25};CEM A;02/03/2026",
        f"Juan;Ñahui;M;{YEAR - 40};cem c;",
        "Rosa;Ccama;Mujer;1980;CEM B;",
    )
    result = participants_import(actor=staff["national"], round=open_round, data=data)
    assert result.ok, result.problems
    assert (result.created_people, result.reused_people, result.consents) == (2, 1, 1)
    maria = User.objects.get(username="maria.quispe")
    assert maria.profile.cem == places["cems"]["A"]
    assert maria.profile.generation == ParticipantProfile.Generation.YOUNG
    people = set(open_round.participants.values_list("person__username", flat=True))
    assert people == {"maria.quispe", "juan.nahui", registered.username}
    consent = ValidationConsent.objects.get(participant__person=maria)
    assert (consent.decision, consent.method, consent.text_version) == ("accepted", "paper", "v1")
    assert consent.decided_at.date() == dt.date(2026, 3, 2)
    assert consent.recorded_by == staff["national"]


def test_a_csv_with_any_problem_saves_nothing(open_round, places, staff):
    before = (User.objects.count(), ValidationParticipant.objects.count())
    data = roster(
        f"Ana;Flores;F;{YEAR - 30};CEM A;",
        f"Ana;Flores;F;{YEAR - 30};CEM A;",  # the same person twice
        "Luis;Rojas;M;1850;CEM A;",  # implausible birth year
        f"Pedro;Ríos;M;{YEAR - 30};CEM Lejano;",  # not a CEM of the round
    )
    result = participants_import(actor=staff["national"], round=open_round, data=data)
    assert not result.ok
    codes = {p.code for p in result.problems}
    assert {"duplicate_person", "bad_birth_year", "unknown_cem"} <= codes
    assert [p.row for p in result.problems if p.code == "duplicate_person"] == [3]
    assert (User.objects.count(), ValidationParticipant.objects.count()) == before


def test_importing_the_same_file_twice_adds_nobody_the_second_time(open_round, places, staff):
    data = roster(f"Ana;Flores;F;{YEAR - 30};CEM A;")
    assert participants_import(actor=staff["national"], round=open_round, data=data).ok
    again = participants_import(actor=staff["national"], round=open_round, data=data)
    assert [p.code for p in again.problems] == ["already_enrolled"]
    assert "already takes part in this round" in again.problems[0].message
    assert open_round.participants.count() == 1


def test_a_site_coordinator_imports_only_people_of_her_site(open_round, staff):
    data = roster(f"Ana;Flores;F;{YEAR - 30};CEM B;")
    result = participants_import(actor=staff["coordinator_a"], round=open_round, data=data)
    assert [p.code for p in result.problems] == ["other_site"]
    assert not open_round.participants.exists()


def test_a_refusal_is_recorded_audit_logged_and_can_change(crowd):
    participant = crowd["participants"]["A"][0]
    consent = validation_consent_decide(participant=participant, accepted=False, text_version="v1")
    assert (consent.decision, consent.method) == ("refused", "online")
    assert consent.recorded_by == participant.person
    validation_consent_decide(participant=participant, accepted=True, text_version="v1")
    consent.refresh_from_db()
    assert consent.decision == "accepted"
    entries = AuditLogEntry.objects.filter(content_type__model="validationconsent")
    assert list(entries.order_by("pk").values_list("action", flat=True)) == ["create", "update"]
    assert entries.order_by("pk").last().before["decision"] == "refused"


def test_a_decision_about_an_old_text_is_not_recorded(crowd):
    with pytest.raises(ValidationError, match="has changed"):
        validation_consent_decide(
            participant=crowd["participants"]["A"][0], accepted=True, text_version="v0"
        )
    assert not ValidationConsent.objects.exists()


def test_only_someone_with_nothing_recorded_leaves_the_round(crowd, staff):
    quiet, sent = crowd["participants"]["A"][:2]
    give_feedback(sent, {"s01": ratings(4)})
    with pytest.raises(ValidationError, match="stays in it"):
        participant_remove(actor=staff["national"], participant=sent)
    participant_remove(actor=staff["national"], participant=quiet)
    assert not ValidationParticipant.objects.filter(pk=quiet.pk).exists()
