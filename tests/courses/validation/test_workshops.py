"""Workshop records: counts only, the group's assessments, and no names in the notes."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from courses.validation.models import ValidationWorkshop, WorkshopAssessment
from courses.validation.services.workshops import (
    ItemAssessment,
    NamesInNotes,
    WorkshopRecord,
    workshop_record,
    workshop_update,
)
from lms.models import AuditLogEntry
from tests.helpers import activist_at


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def record(places, key="A", **overrides) -> WorkshopRecord:
    fields = {
        "site": places["sites"][key],
        "cem": places["cems"][key],
        "held_on": timezone.localdate(),
        "place": "Local comunal",
        "notes": "Buena participación.",
        "headcount": {("F", "20-29"): 4, ("F", "35-50"): 3, ("M", "20-29"): 2},
        "assessments": {
            "s01": ItemAssessment("accept", "Se entiende.", "Me gustó.\nEs claro."),
            "s02": ItemAssessment("adapt", "", ""),
            "s03": ItemAssessment(),
        },
    }
    return WorkshopRecord(**(fields | overrides))


def test_a_workshop_is_recorded_with_counts_and_assessments(open_round, places, staff):
    workshop, created = workshop_record(
        actor=staff["trainer_a"], round=open_round, record=record(places), client_uuid=uuid.uuid4()
    )
    assert created
    assert {(h.sex, h.generation, h.count) for h in workshop.headcounts.all()} == {
        ("F", "20-29", 4),
        ("F", "35-50", 3),
        ("M", "20-29", 2),
    }
    verdicts = {a.item.code: a for a in workshop.assessments.select_related("item")}
    assert set(verdicts) == {"s01", "s02"}  # nothing said about s03, nothing stored
    assert verdicts["s01"].quote_lines() == ["Me gustó.", "Es claro."]
    assert verdicts["s02"].verdict == WorkshopAssessment.Verdict.ADAPT
    entry = AuditLogEntry.objects.get(content_type__model="validationworkshop")
    assert entry.after["headcount"] == {"F/20-29": 4, "F/35-50": 3, "M/20-29": 2}


def test_a_resent_form_is_recognised(open_round, places, staff):
    key = uuid.uuid4()
    first, _ = workshop_record(
        actor=staff["trainer_a"], round=open_round, record=record(places), client_uuid=key
    )
    again, created = workshop_record(
        actor=staff["trainer_a"], round=open_round, record=record(places), client_uuid=key
    )
    assert not created and again == first
    assert ValidationWorkshop.objects.count() == 1


def test_a_note_with_a_participants_full_name_is_not_saved_until_confirmed(
    open_round, places, staff
):
    from courses.validation.services.participants import participants_add

    maria = activist_at(places["cems"]["A"], first_name="María Elena", last_name="Quispe Mamani")
    participants_add(actor=staff["national"], round=open_round, people=[maria])
    named = record(
        places,
        assessments={"s01": ItemAssessment("accept", "María Quispe propuso otra dinámica.", "")},
    )
    with pytest.raises(NamesInNotes) as found:
        workshop_record(
            actor=staff["trainer_a"], round=open_round, record=named, client_uuid=uuid.uuid4()
        )
    assert found.value.places == ["Notes on " + open_round.items.get(code="s01").title]
    assert not ValidationWorkshop.objects.exists()

    quoted = record(places, notes="Como dijo maria elena quispe mamani en su charla")
    with pytest.raises(NamesInNotes):
        workshop_record(
            actor=staff["trainer_a"], round=open_round, record=quoted, client_uuid=uuid.uuid4()
        )
    # "María" alone names nobody; and the facilitator may confirm a name is not a participant's.
    workshop_record(
        actor=staff["trainer_a"],
        round=open_round,
        record=record(places, notes="María habló mucho."),
        client_uuid=uuid.uuid4(),
    )
    workshop_record(
        actor=staff["trainer_a"],
        round=open_round,
        record=named,
        client_uuid=uuid.uuid4(),
        names_checked=True,
    )
    assert ValidationWorkshop.objects.count() == 2


def test_counts_dates_and_verdicts_are_checked_whole(open_round, places, staff):
    bad = record(
        places,
        held_on=timezone.localdate() + dt.timedelta(days=3),
        headcount={("F", "20-29"): -1, ("Z", "20-29"): 2},
        assessments={"s01": ItemAssessment("maybe"), "zz": ItemAssessment("accept")},
    )
    with pytest.raises(ValidationError) as refused:
        workshop_record(
            actor=staff["trainer_a"], round=open_round, record=bad, client_uuid=uuid.uuid4()
        )
    messages = refused.value.messages
    assert "The workshop date is in the future." in messages
    assert "The headcount has groups that do not exist." in messages
    assert "Each headcount is a whole number, zero or more." in messages
    assert "An assessment is accept, adapt or reject." in messages
    assert "Some assessments are about sessions or concepts not in this round." in messages
    with pytest.raises(ValidationError, match="Count the people who came"):
        workshop_record(
            actor=staff["trainer_a"],
            round=open_round,
            record=record(places, headcount={}),
            client_uuid=uuid.uuid4(),
        )
    assert not ValidationWorkshop.objects.exists()


def test_a_trainer_records_workshops_only_at_her_site(open_round, places, staff):
    with pytest.raises(ValidationError, match="do not record workshops at this site"):
        workshop_record(
            actor=staff["trainer_a"],
            round=open_round,
            record=record(places, key="B"),
            client_uuid=uuid.uuid4(),
        )
    workshop_record(
        actor=staff["national"],
        round=open_round,
        record=record(places, key="B"),
        client_uuid=uuid.uuid4(),
    )


def test_a_correction_is_audit_logged(open_round, places, staff):
    workshop, _ = workshop_record(
        actor=staff["trainer_a"], round=open_round, record=record(places), client_uuid=uuid.uuid4()
    )
    workshop_update(
        actor=staff["coordinator_a"],
        workshop=workshop,
        record=record(places, headcount={("F", "20-29"): 9}),
    )
    assert workshop.headcounts.get().count == 9
    entry = AuditLogEntry.objects.get(content_type__model="validationworkshop", action="update")
    assert entry.before["headcount"]["F/20-29"] == 4
    assert entry.after["headcount"] == {"F/20-29": 9}
    with pytest.raises(ValidationError):
        workshop_update(actor=staff["trainer_b"], workshop=workshop, record=record(places))
