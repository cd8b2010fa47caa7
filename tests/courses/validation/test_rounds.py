"""A round is opened on a revision of a course (a draft is fine) and freezes what it validates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from courses.validation.models import ValidationItem, ValidationRound
from courses.validation.services.rounds import (
    round_close,
    round_concept_add,
    round_item_remove,
    round_open,
    round_update,
)
from lms.models import AuditLogEntry
from tests.helpers import validation_round


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_round_validates_the_draft_revision_and_freezes_each_session(draft_course, places, staff):
    course = draft_course["course"]
    draft = course.latest_revision
    assert draft.pk != course.live_revision_id  # the course has unpublished changes

    round_ = validation_round(course, places, staff["national"])

    assert round_.course_revision == draft
    assert round_.status == ValidationRound.Status.DRAFT
    assert round_.curriculum_version == "1.0"
    items = list(round_.items.all())
    assert [i.code for i in items] == ["s01", "s02", "s03"]
    for item, session in zip(items, draft_course["sessions"], strict=True):
        assert item.kind == ValidationItem.Kind.SESSION
        assert item.session == session
        assert item.session_revision == session.latest_revision
        assert item.title == f"{session.number}. {session.title}"
        assert item.description == "Conocernos."  # the objectives, as plain text
    assert set(round_.sites.values_list("slug", flat=True)) == {
        "villa-maria-del-triunfo",
        "arequipa",
        "iquitos",
    }
    entry = AuditLogEntry.objects.get(content_type__model="validationround", action="create")
    assert entry.actor == staff["national"]
    assert entry.after["consent_version"] == "v1"


def test_renaming_a_session_later_does_not_change_what_was_rated(draft_course, places, staff):
    round_ = validation_round(draft_course["course"], places, staff["national"])
    session = draft_course["sessions"][0]
    rated = f"{session.number}. {session.title}"
    session.title = "Otro título"
    session.save_revision().publish()
    assert round_.items.get(code="s01").title == rated


def test_a_site_coordinator_opens_rounds_only_at_her_site(draft_course, places, staff):
    course = draft_course["course"]
    with pytest.raises(ValidationError) as refused:
        validation_round(course, places, staff["coordinator_a"], keys="AB")
    assert "only open rounds at the sites you coordinate" in str(refused.value)
    assert not ValidationRound.objects.exists()
    round_ = validation_round(course, places, staff["coordinator_a"], keys="A")
    assert list(round_.sites.all()) == [places["sites"]["A"]]


def test_a_cem_must_be_at_a_chosen_site(draft_course, places, staff):
    from courses.validation.services.rounds import round_create

    with pytest.raises(ValidationError) as refused:
        round_create(
            actor=staff["national"],
            course=draft_course["course"],
            revision=None,
            title="R",
            sites=[places["sites"]["A"]],
            cems=[places["cems"]["A"], places["cems"]["B"]],
            starts_on=dt.date(2026, 1, 2),
            ends_on=dt.date(2026, 1, 1),
            consent_version="",
            consent_text="",
        )
    messages = refused.value.messages
    assert "These CEMs are not at the chosen sites: CEM B." in messages
    assert "The end date is before the start date." in messages
    assert any("needs a version" in m for m in messages)
    assert not ValidationRound.objects.exists()


def test_a_revision_of_another_page_is_refused(draft_course, places, staff):
    other = draft_course["sessions"][0].latest_revision
    with pytest.raises(ValidationError, match="not a revision of this course"):
        validation_round(draft_course["course"], places, staff["national"], revision=other)


def test_concepts_are_added_after_the_sessions_only_in_preparation(draft_course, places, staff):
    actor = staff["national"]
    round_ = validation_round(draft_course["course"], places, actor)
    concept = round_concept_add(
        actor=actor,
        round=round_,
        kind=ValidationItem.Kind.KEY_MESSAGE,
        title="Los hombres también cuidan",
        description="Mensaje clave.",
    )
    assert (concept.code, concept.position) == ("c01", 4)
    round_item_remove(actor=actor, round=round_, item=round_.items.get(code="s02"))
    assert list(round_.items.values_list("code", flat=True)) == ["s01", "s03", "c01"]

    round_open(actor=actor, round=round_)
    with pytest.raises(ValidationError, match="only change while the round is in preparation"):
        round_concept_add(
            actor=actor, round=round_, kind="concept", title="Tarde", description="Tarde"
        )


def test_a_changed_consent_text_needs_a_new_version(draft_course, places, staff):
    actor = staff["national"]
    round_ = validation_round(draft_course["course"], places, actor)
    fields = {
        "title": round_.title,
        "purpose": "",
        "sites": list(round_.sites.all()),
        "cems": list(round_.cems.all()),
        "starts_on": round_.starts_on,
        "ends_on": round_.ends_on,
    }
    with pytest.raises(ValidationError, match="needs a new version"):
        round_update(
            actor=actor, round=round_, consent_version="v1", consent_text="Otro texto", **fields
        )
    round_update(actor=actor, round=round_, consent_version="v2", consent_text="Otro", **fields)
    round_.refresh_from_db()
    assert (round_.consent_version, round_.consent_text) == ("v2", "Otro")
    assert AuditLogEntry.objects.filter(
        content_type__model="validationround", action="update"
    ).exists()


def test_sites_change_only_in_preparation_and_a_closed_round_changes_no_more(open_round, staff):
    actor = staff["national"]
    fields = {
        "title": "Nuevo título",
        "purpose": "",
        "cems": list(open_round.cems.all()),
        "starts_on": open_round.starts_on,
        "ends_on": open_round.ends_on,
        "consent_version": open_round.consent_version,
        "consent_text": open_round.consent_text,
    }
    with pytest.raises(ValidationError, match="only change while the round is in preparation"):
        round_update(
            actor=actor, round=open_round, sites=list(open_round.sites.all())[:1], **fields
        )
    round_update(actor=actor, round=open_round, sites=list(open_round.sites.all()), **fields)
    round_close(actor=actor, round=open_round)
    with pytest.raises(ValidationError, match="closed"):
        round_update(actor=actor, round=open_round, sites=list(open_round.sites.all()), **fields)


def test_a_round_spanning_sites_is_changed_only_by_a_national_coordinator(open_round, staff):
    with pytest.raises(ValidationError, match="only a national coordinator"):
        round_close(actor=staff["coordinator_a"], round=open_round)
    round_close(actor=staff["national"], round=open_round)
    open_round.refresh_from_db()
    assert open_round.status == ValidationRound.Status.CLOSED
    assert open_round.closed_at is not None


def test_an_empty_round_cannot_open(draft_course, places, staff):
    actor = staff["national"]
    round_ = validation_round(draft_course["course"], places, actor)
    for item in list(round_.items.all()):
        round_item_remove(actor=actor, round=round_, item=item)
    with pytest.raises(ValidationError, match="at least one session or concept"):
        round_open(actor=actor, round=round_)
