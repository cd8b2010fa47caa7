"""Individual feedback: validated whole and saved atomically, stored once under the research
code, online or typed in from paper."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from courses.validation.keys import research_code_of
from courses.validation.models import (
    ValidationAnswer,
    ValidationConsent,
    ValidationFeedback,
)
from courses.validation.services.feedback import feedback_submit, paper_feedback_enter
from courses.validation.services.participants import validation_consent_decide
from courses.validation.services.rounds import round_close
from lms.models import AuditLogEntry
from tests.helpers import give_feedback, ratings


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def maria(crowd):
    return crowd["participants"]["A"][0]


def test_feedback_is_stored_under_the_research_code_with_the_profile_groups(maria):
    feedback, created = give_feedback(
        maria,
        {"s01": ratings(5, safe=None, comment="Muy clara."), "s02": ratings(2)},
        missing="Violencia digital.",
    )
    assert created
    assert feedback.research_code == research_code_of(maria.person)
    profile = maria.person.profile
    assert feedback.research_code != profile.participant_code  # never the roster code
    assert (feedback.site, feedback.sex, feedback.generation) == (
        maria.site,
        profile.sex,
        profile.generation,
    )
    assert (feedback.source, feedback.entered_by, feedback.missing) == (
        "online",
        None,
        "Violencia digital.",
    )
    answers = {a.item.code: a for a in feedback.answers.select_related("item")}
    assert (answers["s01"].clear, answers["s01"].safe, answers["s01"].comment) == (
        5,
        None,
        "Muy clara.",
    )
    assert answers["s02"].fits == 2
    assert "s03" not in answers  # nothing given, nothing stored
    # Nothing points from the feedback to the person.
    person_fields = [f.name for f in ValidationFeedback._meta.get_fields() if f.is_relation]
    assert "person" not in person_fields and "participant" not in person_fields


def test_one_wrong_value_and_nothing_is_kept(maria):
    validation_consent_decide(participant=maria, accepted=True, text_version="v1")
    with pytest.raises(ValidationError) as refused:
        feedback_submit(
            participant=maria,
            answers={"s01": ratings(4), "s02": ratings(7), "zz9": ratings(3), "s03": {"fun": 3}},
            missing="",
            submission_key=uuid.uuid4(),
        )
    messages = refused.value.messages
    assert any("a number from 1 to 5" in m for m in messages)
    assert "“zz9” is not a session or concept of this round." in messages
    assert any("is not one of the questions" in m for m in messages)
    assert not ValidationFeedback.objects.exists()
    assert not ValidationAnswer.objects.exists()


def test_an_empty_form_is_refused(maria):
    validation_consent_decide(participant=maria, accepted=True, text_version="v1")
    with pytest.raises(ValidationError, match="Nothing was answered"):
        feedback_submit(
            participant=maria,
            answers={"s01": ratings(None)},
            missing=" ",
            submission_key=uuid.uuid4(),
        )


def test_sending_the_same_form_twice_changes_nothing(maria):
    key = uuid.uuid4()
    answers = {"s01": ratings(4)}
    first, created = give_feedback(maria, answers, key=key)
    again, created_again = feedback_submit(
        participant=maria, answers=answers, missing="", submission_key=key
    )
    assert created and not created_again
    assert again == first
    assert ValidationFeedback.objects.count() == 1
    assert ValidationAnswer.objects.count() == 1


def test_a_second_form_of_the_same_person_is_not_stored(maria):
    first, _ = give_feedback(maria, {"s01": ratings(4)})
    other, created = feedback_submit(
        participant=maria, answers={"s01": ratings(1)}, missing="", submission_key=uuid.uuid4()
    )
    assert not created and other == first
    assert ValidationAnswer.objects.get().clear == 4


def test_the_same_key_with_other_answers_is_a_conflict(maria):
    key = uuid.uuid4()
    give_feedback(maria, {"s01": ratings(4)}, key=key)
    with pytest.raises(ValidationError) as refused:
        feedback_submit(
            participant=maria, answers={"s01": ratings(2)}, missing="", submission_key=key
        )
    assert refused.value.code == "conflict"
    assert ValidationAnswer.objects.get().clear == 4


def test_feedback_needs_consent_to_the_current_text_and_an_open_round(maria, staff):
    with pytest.raises(ValidationError, match="consent first"):
        feedback_submit(
            participant=maria, answers={"s01": ratings(4)}, missing="", submission_key=uuid.uuid4()
        )
    validation_consent_decide(participant=maria, accepted=True, text_version="v1")
    round_close(actor=staff["national"], round=maria.round)
    with pytest.raises(ValidationError, match="not open for feedback"):
        feedback_submit(
            participant=maria, answers={"s01": ratings(4)}, missing="", submission_key=uuid.uuid4()
        )
    assert not ValidationFeedback.objects.exists()


def test_a_paper_form_is_marked_from_paper_with_its_signed_consent(maria, staff):
    feedback, created = paper_feedback_enter(
        actor=staff["trainer_a"],
        participant=maria,
        consent_signed=True,
        answers={"s01": ratings(3)},
        missing="",
        submission_key=uuid.uuid4(),
    )
    assert created
    assert (feedback.source, feedback.entered_by) == ("paper", staff["trainer_a"])
    assert feedback.research_code == research_code_of(maria.person)
    consent = ValidationConsent.objects.get(participant=maria)
    assert (consent.method, consent.recorded_by, consent.decision) == (
        "paper",
        staff["trainer_a"],
        "accepted",
    )
    entry = AuditLogEntry.objects.get(content_type__model="validationfeedback")
    assert entry.actor == staff["trainer_a"]
    assert entry.after == {"round": maria.round_id, "source": "paper"}


def test_a_paper_form_without_signed_consent_saves_nothing(maria, staff):
    with pytest.raises(ValidationError, match="signed the consent"):
        paper_feedback_enter(
            actor=staff["trainer_a"],
            participant=maria,
            consent_signed=False,
            answers={"s01": ratings(3)},
            missing="",
            submission_key=uuid.uuid4(),
        )
    assert not ValidationConsent.objects.exists()


def test_a_bad_paper_form_keeps_neither_the_consent_nor_the_answers(maria, staff):
    with pytest.raises(ValidationError):
        paper_feedback_enter(
            actor=staff["trainer_a"],
            participant=maria,
            consent_signed=True,
            answers={"s01": ratings(9)},
            missing="",
            submission_key=uuid.uuid4(),
        )
    assert not ValidationConsent.objects.exists()
    assert not ValidationFeedback.objects.exists()


def test_a_trainer_types_in_only_the_forms_of_her_site(crowd, staff):
    with pytest.raises(ValidationError, match="do not record forms for this person"):
        paper_feedback_enter(
            actor=staff["trainer_b"],
            participant=crowd["participants"]["A"][0],
            consent_signed=True,
            answers={"s01": ratings(3)},
            missing="",
            submission_key=uuid.uuid4(),
        )
