"""The screens, as people use them: a coordinator opens a round on a draft, an activist agrees
and gives her opinion on her phone, a facilitator types in a paper form and records a workshop."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from courses.validation.models import (
    ValidationConsent,
    ValidationFeedback,
    ValidationRound,
    ValidationWorkshop,
)
from courses.validation.services.participants import participants_add
from lms.research_codes import research_code_of
from tests.helpers import activist_at, en


@pytest.fixture
def maria(open_round, places, staff):
    person = activist_at(places["cems"]["A"], first_name="María", last_name="Quispe")
    participants_add(actor=staff["national"], round=open_round, people=[person])
    return person


def test_a_coordinator_opens_a_round_on_a_draft_revision(client, draft_course, places, staff):
    course = draft_course["course"]
    client.force_login(staff["national"])
    choose = client.get(en("validation:round_new"))
    assert course.title in choose.content.decode()
    url = en("validation:round_new") + f"?curso={course.pk}"
    form = client.get(url).content.decode()
    assert "draft" in form and "published" in form  # the revisions, labelled
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "title": "Validación del borrador",
            "revision": course.latest_revision.pk,
            "sessions": [s.pk for s in draft_course["sessions"][:2]],
            "sites": [s.pk for s in places["sites"].values()],
            "cems": [c.pk for c in places["cems"].values()],
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=20)).isoformat(),
            "consent_version": "1",
            "consent_text": "Texto.",
            "purpose": "",
        },
    )
    round_ = ValidationRound.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/validacion/{round_.pk}/")
    assert round_.course_revision == course.latest_revision
    assert round_.course_revision_id != course.live_revision_id
    assert round_.items.count() == 2
    detail = client.get(en("validation:round", round_.pk)).content.decode()
    assert "Open for feedback" in detail and "Add a concept" in detail
    client.post(en("validation:round_status", round_.pk), {"action": "open"})
    round_.refresh_from_db()
    assert round_.status == ValidationRound.Status.OPEN


def test_an_activist_agrees_and_gives_her_opinion_once(client, open_round, maria):
    client.force_login(maria)
    dashboard = client.get(en("home:dashboard")).content.decode()
    assert open_round.title in dashboard and "Read and decide" in dashboard
    feedback_url = en("validation:feedback", open_round.pk)
    assert client.get(feedback_url)["Location"].endswith("/participar/")  # consent first

    consent = client.get(en("validation:take_part", open_round.pk))
    assert "Texto del consentimiento." in consent.content.decode()
    response = client.post(
        en("validation:take_part", open_round.pk), {"decision": "accept", "text_version": "v1"}
    )
    assert response["Location"].endswith("/opinion/")
    form = client.get(feedback_url)
    html = form.content.decode()
    assert form["Cache-Control"].startswith("max-age=0")
    assert "<script" not in html and "style=" not in html
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    data = {
        "submission_key": key,
        "r-s01-clear": "5",
        "r-s01-safe": "4",
        "c-s01": "Se entiende bien.",
        "r-s02-fits": "2",
        "missing": "Violencia digital",
    }
    sent = client.post(feedback_url, data)
    assert sent["Location"].endswith("/gracias/")
    again = client.post(feedback_url, data)  # the back button and a second tap
    assert again["Location"].endswith("/gracias/")
    feedback = ValidationFeedback.objects.get()
    assert feedback.research_code == research_code_of(maria.profile)
    assert feedback.research_code != maria.profile.participant_code  # never the roster code
    assert feedback.answers.count() == 2
    assert "Sent, thank you" in client.get(en("home:dashboard")).content.decode()


def test_a_wrong_value_shows_the_problem_and_keeps_the_answers(client, open_round, maria):
    client.force_login(maria)
    client.post(
        en("validation:take_part", open_round.pk), {"decision": "accept", "text_version": "v1"}
    )
    response = client.post(
        en("validation:feedback", open_round.pk),
        {"submission_key": str(uuid.uuid4()), "r-s01-clear": "9", "c-s01": "Mi comentario"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in html and "a number from 1 to 5" in html
    assert "Mi comentario" in html
    assert not ValidationFeedback.objects.exists()


def test_declining_is_recorded_and_nothing_else_happens(client, open_round, maria):
    client.force_login(maria)
    response = client.post(
        en("validation:take_part", open_round.pk), {"decision": "decline", "text_version": "v1"}
    )
    assert response["Location"].endswith("/panel/")
    assert ValidationConsent.objects.get().decision == "refused"
    assert client.get(en("validation:feedback", open_round.pk))["Location"].endswith("/participar/")


def test_a_facilitator_types_in_a_paper_form(client, open_round, maria, staff):
    client.force_login(staff["trainer_a"])
    listing = client.get(en("validation:paper_list", open_round.pk)).content.decode()
    assert "María Quispe" in listing
    participant = open_round.participants.get(person=maria)
    url = en("validation:paper_entry", open_round.pk, participant.pk)
    refused = client.post(url, {"submission_key": str(uuid.uuid4()), "r-s01-clear": "3"})
    assert "signed the consent" in refused.content.decode()
    done = client.post(
        url, {"submission_key": str(uuid.uuid4()), "consent_signed": "on", "r-s01-clear": "3"}
    )
    assert done.status_code == 302
    feedback = ValidationFeedback.objects.get()
    assert (feedback.source, feedback.entered_by) == ("paper", staff["trainer_a"])
    assert "Recorded" in client.get(en("validation:paper_list", open_round.pk)).content.decode()
    printable = client.get(en("validation:paper_form", open_round.pk)).content.decode()
    assert "Texto del consentimiento." in printable


def test_the_workshop_form_warns_about_a_participants_name(
    client, open_round, maria, staff, places
):
    client.force_login(staff["trainer_a"])
    url = en("validation:workshop_new", open_round.pk)
    page = client.get(url).content.decode()
    key = re.search(r'name="client_uuid" value="([^"]+)"', page).group(1)
    data = {
        "client_uuid": key,
        "site": places["sites"]["A"].pk,
        "held_on": timezone.localdate().isoformat(),
        "h-F-20-29": "4",
        "h-M-35-50": "2",
        "v-s01": "adapt",
        "n-s01": "María Quispe pidió más tiempo.",
    }
    warned = client.post(url, data)
    html = warned.content.decode()
    assert "contain the full name of a participant" in html
    assert 'name="names_checked"' in html
    assert not ValidationWorkshop.objects.exists()
    confirmed = client.post(url, data | {"names_checked": "on"})
    assert confirmed.status_code == 302
    workshop = ValidationWorkshop.objects.get()
    assert sum(h.count for h in workshop.headcounts.all()) == 6
    assert client.post(url, data | {"names_checked": "on"}).status_code == 302
    assert ValidationWorkshop.objects.count() == 1  # the same form, recognised


def test_coordinators_add_people_from_the_profiles(client, open_round, places, staff):
    candidate = activist_at(places["cems"]["A"], first_name="Rosa", last_name="Rojas")
    client.force_login(staff["coordinator_a"])
    url = en("validation:participants", open_round.pk)
    assert "Rosa Rojas" in client.get(url).content.decode()
    assert client.post(url, {"people": [candidate.pk]}).status_code == 302
    assert open_round.participants.get().person == candidate
