"""Findings, their decisions, and the later revisions of the curriculum that answer them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.validation.models import FindingRevision, ValidationFinding
from courses.validation.services.findings import finding_revision_cite, finding_save
from lms.models import AuditLogEntry
from tests.helpers import en


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def finding(open_round, staff):
    return finding_save(
        actor=staff["national"],
        round=open_round,
        title="La sesión 2 no se entiende",
        items=[open_round.items.get(code="s02")],
        evidence="Clara: 2,1 de media en las tres sedes.",
        tags=["unclear"],
        decision="adapt",
        decision_reason="Se reescriben los objetivos.",
    )


def test_a_finding_keeps_its_decision_who_took_it_and_when(finding, staff):
    assert finding.decided_by == staff["national"]
    assert finding.decided_at is not None
    assert finding.tag_labels() == ["Unclear"]
    entry = AuditLogEntry.objects.get(content_type__model="validationfinding")
    assert entry.after["decision"] == "adapt"
    assert entry.after["items"] == [finding.items.get().pk]


def test_a_decision_needs_its_reason_and_a_finding_its_evidence(open_round, staff):
    with pytest.raises(ValidationError) as refused:
        finding_save(
            actor=staff["national"],
            round=open_round,
            title="Sin razones",
            items=[],
            evidence="",
            tags=["nonsense"],
            decision="adopt",
        )
    messages = refused.value.messages
    assert "A decision needs its reason." in messages
    assert "Choose the sessions or concepts the finding is about." in messages
    assert "Some tags do not exist." in messages
    assert any("what the finding rests on" in m for m in messages)
    assert not ValidationFinding.objects.exists()


def test_only_the_coordinators_of_the_round_record_findings(open_round, staff, places):
    from tests.helpers import validation_round

    own = validation_round(open_round.course, places, staff["coordinator_b"], keys="B")
    with pytest.raises(ValidationError, match="Only the coordinators"):
        finding_save(
            actor=staff["coordinator_a"],
            round=own,
            title="Ajena",
            items=[own.items.first()],
            evidence="…",
        )


def test_a_later_revision_of_a_session_answers_a_finding(finding, draft_course, staff):
    session = draft_course["sessions"][1]
    session.objectives = "<ul><li>Entender el consentimiento.</li></ul>"
    revision = session.save_revision(user=staff["national"])
    citation = finding_revision_cite(actor=staff["national"], finding=finding, revision=revision)
    assert (citation.page.pk, citation.revision) == (session.pk, revision)
    # Citing it again changes nothing.
    assert (
        finding_revision_cite(actor=staff["national"], finding=finding, revision=revision)
        == citation
    )
    assert FindingRevision.objects.count() == 1


def test_an_earlier_or_foreign_revision_answers_nothing(finding, draft_course, staff):
    from tests.factories import CoursePageFactory

    earlier = draft_course["sessions"][0].latest_revision
    with pytest.raises(ValidationError, match="not later than the version the round validated"):
        finding_revision_cite(actor=staff["national"], finding=finding, revision=earlier)
    other = CoursePageFactory(parent=draft_course["course"].get_parent())
    foreign = other.save_revision()
    with pytest.raises(ValidationError, match="not of the validated course"):
        finding_revision_cite(actor=staff["national"], finding=finding, revision=foreign)
    assert not FindingRevision.objects.exists()


def test_a_rejected_finding_is_answered_by_no_change(finding, draft_course, staff):
    finding_save(
        actor=staff["national"],
        round=finding.round,
        finding=finding,
        title=finding.title,
        items=list(finding.items.all()),
        evidence=finding.evidence,
        decision="reject",
        decision_reason="No aplica.",
    )
    revision = draft_course["course"].save_revision()
    with pytest.raises(ValidationError, match="adopt"):
        finding_revision_cite(actor=staff["national"], finding=finding, revision=revision)


def session_post(session, *, cites=(), **changes) -> dict:
    fields = {
        "title": session.title,
        "slug": session.slug,
        "number": session.number,
        "duration_minutes": 60,
        "objectives": rich_text("<p>Conocernos.</p>"),
        "key_messages": rich_text(""),
        "materials": rich_text(""),
        "activities": streamfield(
            [
                (
                    "activity",
                    {
                        "kind": "opening",
                        "title": title,
                        "duration_minutes": 30,
                        "instructions": rich_text("<p>Formar un círculo y presentarse.</p>"),
                        "facilitator_notes": rich_text(""),
                        "handout": "",
                    },
                )
                for title in ("Presentación", "Plenaria")
            ]
        ),
    }
    data = nested_form_data(fields | changes)
    data["answers_findings"] = [str(f.pk) for f in cites]  # a list: the checkboxes ticked
    return data


def test_the_curriculum_editor_cites_the_findings_a_revision_answers(
    client, finding, draft_course, staff
):
    editor = staff["superuser"]
    client.force_login(editor)
    session = draft_course["sessions"][1]
    url = f"/admin/pages/{session.pk}/edit/"
    form = client.get(url)
    assert form.status_code == 200
    assert "La sesión 2 no se entiende" in form.content.decode()  # offered in the editor

    post = session_post(
        session,
        key_messages=rich_text("<p>El consentimiento se puede retirar.</p>"),
        cites=[finding],
    )
    response = client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:2000]

    session.refresh_from_db()
    citation = FindingRevision.objects.get(finding=finding)
    assert citation.revision == session.latest_revision
    assert citation.cited_by == editor

    # The finding links to the revision and says what it changed, to accreditors too.
    client.force_login(staff["accreditor"])
    page = client.get(en("validation:finding", finding.round_id, finding.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert f"revision #{citation.revision_id}" in content
    assert "Key messages" in content
    assert '<span class="addition">El consentimiento se puede retirar.</span>' in content
    assert "Not published yet" in content

    # Saving again without ticking it cites nothing more.
    client.force_login(editor)
    client.post(url, session_post(session, key_messages=rich_text("<p>Otro.</p>")))
    assert FindingRevision.objects.count() == 1


def test_the_editor_offers_only_findings_to_act_on(client, finding, draft_course, staff):
    finding_save(
        actor=staff["national"],
        round=finding.round,
        title="Rechazado",
        items=[finding.round.items.first()],
        evidence="…",
        decision="reject",
        decision_reason="No.",
    )
    client.force_login(staff["superuser"])
    content = client.get(f"/admin/pages/{draft_course['course'].pk}/edit/").content.decode()
    assert "La sesión 2 no se entiende" in content
    assert "Rechazado" not in content
    assert reverse("validation:index")  # the admin menu links to the validation screens
