import datetime as dt
import json
import uuid
from html import escape
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from assessments.instruments.files import instrument_import
from assessments.models import ResearchConsent, Response
from assessments.questionnaires.due import questionnaires_for
from assessments.questionnaires.services import (
    QUESTIONNAIRE_CONSENT_VERSION,
    research_consent_decide,
    response_draft_save,
    response_submit,
)
from courses.models import Enrollment
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import EnrollmentFactory, SessionDeliveryFactory, person, site
from tests.helpers import EXAMPLE_INSTRUMENT

ALREADY_SENT = "You already sent this questionnaire; nothing new was recorded."


@pytest.fixture
def activist_client(client, enrollment):
    client.force_login(enrollment.activist)
    return client


@pytest.fixture
def consented(enrollment):
    return research_consent_decide(enrollment=enrollment, accepted=True)


def url(name, enrollment, wave="pre"):
    return reverse(f"assessments:{name}", args=[enrollment.pk, wave])


def text(msgid: str, **params) -> str:
    """The message as the page shows it, in the active language and HTML-escaped."""
    message = gettext(msgid)
    return escape(message % params if params else message)


def codes(instrument) -> list[str]:
    return list(instrument.items.values_list("code", flat=True))


def post_answers(answers: dict, action="submit", key=None) -> dict:
    data = {f"item-{code}": value for code, value in answers.items()}
    return data | {"action": action, "submission_key": str(key or uuid.uuid4())}


class FormParser(HTMLParser):
    """Collects fieldsets with their legend text, radio inputs and the labels' targets."""

    def __init__(self):
        super().__init__()
        self.fieldsets, self.radios, self.label_for, self.alerts = [], [], set(), 0
        self._in_legend = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.fieldsets.append({"legend": "", "radios": []})
        elif tag == "legend":
            self._in_legend = True
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "input" and attrs.get("type") == "radio":
            self.radios.append(attrs)
            self.fieldsets[-1]["radios"].append(attrs)
        if attrs.get("role") == "alert":
            self.alerts += 1

    def handle_endtag(self, tag):
        if tag == "legend":
            self._in_legend = False

    def handle_data(self, data):
        if self._in_legend:
            self.fieldsets[-1]["legend"] += data


def parse(response) -> FormParser:
    parser = FormParser()
    parser.feed(response.content.decode())
    return parser


def checked(parser: FormParser) -> dict[str, str]:
    return {r["name"]: r["value"] for r in parser.radios if "checked" in r}


def close_pre_wave(cohort, sessions):
    """Hold every session in the past: the entry questionnaire closes, the exit one opens."""
    now = timezone.now()
    for i, session in enumerate(sessions):
        SessionDeliveryFactory(
            cohort=cohort,
            session=session,
            scheduled_at=now - dt.timedelta(days=10 - i),
            status="held",
        )


# Access ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, enrollment):
    for name in ("consent", "answer", "done"):
        response = client.get(url(name, enrollment))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_another_activists_enrollment_is_not_found(client, enrollment, cohort_setup):
    other = cohort_setup["enrollments"][1]
    research_consent_decide(enrollment=enrollment, accepted=True)
    client.force_login(other.activist)
    for name in ("consent", "answer", "done"):
        assert client.get(url(name, enrollment)).status_code == 404
    response = client.post(url("answer", enrollment), post_answers({"tol_01": 3}))
    assert response.status_code == 404
    assert client.post(url("consent", enrollment), {"decision": "decline"}).status_code == 404
    assert not Response.objects.exists()
    assert ResearchConsent.objects.get().decision == ResearchConsent.Decision.ACCEPTED


@pytest.mark.parametrize("role", ["trainer", "coordinator", "national", "accreditor", "admin"])
def test_staff_never_open_an_activists_questionnaire(
    client, enrollment, cohort_setup, consented, django_user_model, role
):
    users = {
        "trainer": lambda: cohort_setup["trainer"],
        "coordinator": lambda: person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo")),
        "national": lambda: person(Role.COORDINATOR),
        "accreditor": lambda: person(Role.ACCREDITOR),
        "admin": lambda: django_user_model.objects.create_superuser("root", "r@example.org", "x"),
    }
    response_draft_save(enrollment=enrollment, wave="pre", answers={"tol_01": 5})
    client.force_login(users[role]())
    for name in ("consent", "answer", "done"):
        assert client.get(url(name, enrollment)).status_code == 404


def test_unknown_wave_and_withdrawn_enrollment_are_not_found(activist_client, enrollment):
    assert activist_client.get(url("answer", enrollment, "mid")).status_code == 404
    assert activist_client.get(url("consent", enrollment, "PRE")).status_code == 404
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.withdrawn_on = timezone.localdate()
    enrollment.save()
    assert activist_client.get(url("consent", enrollment)).status_code == 404
    assert activist_client.get(url("answer", enrollment)).status_code == 404


def test_a_course_without_a_questionnaire_has_no_questionnaire_pages(client, cohort_setup):
    enrollment = cohort_setup["enrollments"][0]
    client.force_login(enrollment.activist)
    assert client.get(url("consent", enrollment)).status_code == 404


# Consent ---------------------------------------------------------------------------------


def test_answering_starts_with_the_versioned_consent_text(activist_client, enrollment):
    response = activist_client.get(url("answer", enrollment))
    assert response.status_code == 302 and response.url == url("consent", enrollment)

    content = activist_client.get(response.url).content.decode()
    assert QUESTIONNAIRE_CONSENT_VERSION in content
    assert f'name="text_version" value="{QUESTIONNAIRE_CONSENT_VERSION}"' in content
    for msgid in (
        "Your answers are stored under a participant code, not under your name.",
        "Your facilitators, the coordinators and the university never see your individual answers.",
        "Results are only shown added up, for groups of 5 or more people, so that nobody can "
        "be recognised.",
        "You can skip any statement by choosing “Prefer not to answer”.",
        "Taking part or not does not affect your course, your attendance or your certificate.",
    ):
        assert text(msgid) in content
    assert "Ley 29733" in content and "Línea 100" in content and 'href="tel:105"' in content
    assert 'name="decision" value="accept"' in content
    assert 'name="decision" value="decline"' in content


def test_accepting_is_recorded_with_version_and_time(activist_client, enrollment):
    before = timezone.now()
    response = activist_client.post(
        url("consent", enrollment),
        {"decision": "accept", "text_version": QUESTIONNAIRE_CONSENT_VERSION},
    )
    assert response.status_code == 302 and response.url == url("answer", enrollment)
    consent = ResearchConsent.objects.get(enrollment=enrollment)
    assert consent.decision == ResearchConsent.Decision.ACCEPTED
    assert consent.text_version == QUESTIONNAIRE_CONSENT_VERSION
    assert before <= consent.decided_at <= timezone.now()
    assert activist_client.get(url("answer", enrollment)).status_code == 200


def test_declining_is_recorded_respected_and_can_be_changed(activist_client, enrollment):
    response = activist_client.post(
        url("consent", enrollment),
        {"decision": "decline", "text_version": QUESTIONNAIRE_CONSENT_VERSION},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("courses:my_courses")
    declined = (
        "We have recorded that you prefer not to take part. Your course and your certificate "
        "are not affected. If you change your mind, you can come back from “My courses”."
    )
    assert text(declined) in response.content.decode()
    consent = ResearchConsent.objects.get(enrollment=enrollment)
    assert consent.decision == ResearchConsent.Decision.REFUSED
    assert consent.text_version == QUESTIONNAIRE_CONSENT_VERSION and consent.decided_at

    # Declined: the questionnaire is not shown, nothing can be posted.
    assert activist_client.get(url("answer", enrollment)).url == url("consent", enrollment)
    activist_client.post(url("answer", enrollment), post_answers({"tol_01": 3}))
    assert not Response.objects.exists()

    # Later, a change of mind.
    activist_client.post(
        url("consent", enrollment),
        {"decision": "accept", "text_version": QUESTIONNAIRE_CONSENT_VERSION},
    )
    consent.refresh_from_db()
    assert consent.decision == ResearchConsent.Decision.ACCEPTED
    assert ResearchConsent.objects.count() == 1


def test_a_decision_on_an_outdated_text_is_not_recorded(activist_client, enrollment):
    response = activist_client.post(
        url("consent", enrollment), {"decision": "accept", "text_version": "2000-1"}
    )
    assert response.url == url("consent", enrollment)
    assert not ResearchConsent.objects.exists()


def test_a_consent_given_on_an_earlier_text_is_asked_again(activist_client, enrollment):
    research_consent_decide(enrollment=enrollment, accepted=True, text_version="2000-1")
    assert activist_client.get(url("answer", enrollment)).url == url("consent", enrollment)


# Answering -------------------------------------------------------------------------------


def test_the_questionnaire_is_accessible_fieldsets_with_labelled_radios(
    activist_client, enrollment, instrument, consented
):
    response = activist_client.get(url("answer", enrollment))
    parser = parse(response)
    items = list(instrument.items.all())
    scale = list(instrument.scale.all())
    assert len(parser.fieldsets) == len(items) == 21
    for number, (fieldset, item) in enumerate(zip(parser.fieldsets, items, strict=True), 1):
        progress = gettext("Question %(number)s of %(total)s") % {"number": number, "total": 21}
        assert progress in fieldset["legend"] and item.text_es in fieldset["legend"]
        values = [r["value"] for r in fieldset["radios"]]
        assert values == [str(p.value) for p in scale] + ["na"]
        assert {r["name"] for r in fieldset["radios"]} == {f"item-{item.code}"}
    # Fillers are asked like any other item.
    assert any(i.filler for i in items)
    # Every radio button has its own label.
    assert all(r["id"] in parser.label_for for r in parser.radios)
    content = response.content.decode()
    assert text("Prefer not to answer") in content
    assert all(escape(p.label_es) in content for p in scale)
    assert 'name="submission_key"' in content
    assert 'name="action" value="draft"' in content and 'name="action" value="submit"' in content
    assert parser.alerts == 0 and not checked(parser)


def test_the_questionnaire_follows_the_language(activist_client, enrollment, instrument, consented):
    item = instrument.items.first()
    response = activist_client.get("/en" + url("answer", enrollment))
    assert item.text_en in response.content.decode()
    assert instrument.scale.first().label_en in response.content.decode()


def test_submission_key_is_stable_when_the_form_is_shown_again(
    activist_client, enrollment, consented
):
    key = str(uuid.uuid4())
    response = activist_client.post(url("answer", enrollment), post_answers({"tol_01": 9}, key=key))
    assert f'name="submission_key" value="{key}"' in response.content.decode()


def test_a_draft_is_saved_and_shown_again(activist_client, enrollment, consented):
    response = activist_client.post(
        url("answer", enrollment),
        post_answers({"tol_01": "2", "tol_02": "na", "tol_03": ""}, action="draft"),
    )
    assert response.status_code == 302 and response.url == url("answer", enrollment)
    stored = Response.objects.get()
    assert stored.status == Response.Status.DRAFT
    assert stored.answers == {"tol_01": 2, "tol_02": None}

    page = activist_client.get(url("answer", enrollment))
    assert checked(parse(page)) == {"item-tol_01": "2", "item-tol_02": "na"}


def test_submitting_stores_one_pseudonymous_response_and_shows_thanks(
    activist_client, enrollment, instrument, consented
):
    answers = dict.fromkeys(codes(instrument), "4") | {"tol_05": "na"}
    del answers["nor_01"]  # left unanswered: allowed, counted as missing
    key = uuid.uuid4()
    response = activist_client.post(url("answer", enrollment), post_answers(answers, key=key))
    assert response.status_code == 302 and response.url == url("done", enrollment)

    stored = Response.objects.get()
    assert stored.status == Response.Status.SUBMITTED and stored.submitted_at
    assert stored.research_code == research_code_of(enrollment.activist.profile)
    assert stored.wave == "pre" and stored.cohort_id == enrollment.cohort_id
    assert stored.submission_key == key
    assert stored.answers["tol_01"] == 4 and stored.answers["tol_05"] is None
    assert "nor_01" not in stored.answers

    done = activist_client.get(response.url).content.decode()
    assert text("Thank you for your answers") in done
    assert text("Your answers have been sent.") in done
    assert "Línea 100" in done and 'href="tel:100"' in done
    # No score, no answer is ever shown back.
    assert 'type="radio"' not in done
    for value in stored.scores.values():
        assert f"{value:.2f}" not in done and str(value) not in done


def test_a_second_submission_changes_nothing_and_says_so(
    activist_client, enrollment, instrument, consented
):
    key = uuid.uuid4()
    first = post_answers(dict.fromkeys(codes(instrument), "4"), key=key)
    activist_client.post(url("answer", enrollment), first)
    stored = Response.objects.get()

    # The same form again (double tap / back button), then a different one.
    again = activist_client.post(url("answer", enrollment), first, follow=True)
    assert text(ALREADY_SENT) in again.content.decode()
    other = post_answers(dict.fromkeys(codes(instrument), "1"), key=uuid.uuid4())
    again = activist_client.post(url("answer", enrollment), other, follow=True)
    assert text(ALREADY_SENT) in again.content.decode()
    draft = activist_client.post(url("answer", enrollment), other | {"action": "draft"})
    assert draft.url == url("done", enrollment)

    assert Response.objects.count() == 1
    refreshed = Response.objects.get()
    assert refreshed.answers == stored.answers and refreshed.submitted_at == stored.submitted_at
    assert refreshed.submission_key == key
    # Opening the questionnaire after sending it leads to the confirmation.
    assert activist_client.get(url("answer", enrollment)).url == url("done", enrollment)


def test_a_submission_racing_a_submitted_response_is_reported_too(
    activist_client, enrollment, instrument, consented
):
    """The service decides: when the page was opened before another tab sent the form."""
    response_submit(enrollment=enrollment, wave="pre", answers={"tol_01": 3})
    page = activist_client.post(
        url("answer", enrollment), post_answers({"tol_01": "1"}), follow=True
    )
    assert text(ALREADY_SENT) in page.content.decode()
    assert Response.objects.get().answers == {"tol_01": 3}


@pytest.mark.parametrize(
    ("field", "value"),
    [("tol_01", "9"), ("tol_01", "0"), ("tol_01", "mucho"), ("zzz_99", "3")],
)
@pytest.mark.parametrize("action", ["draft", "submit"])
def test_a_tampered_form_saves_nothing_and_says_why(
    activist_client, enrollment, instrument, consented, field, value, action
):
    answers = dict.fromkeys(codes(instrument), "4") | {field: value}
    response = activist_client.post(url("answer", enrollment), post_answers(answers, action))
    assert response.status_code == 200
    parser = parse(response)
    assert parser.alerts == 1
    content = response.content.decode()
    assert text("Nothing was saved.") in content
    if field == "zzz_99":
        expected = gettext("“%(code)s” is not a question of this questionnaire.")
        assert escape(expected % {"code": "zzz_99"}) in content
    elif value == "mucho":
        expected = gettext("The answer to %(code)s is not a number of the scale.")
        assert escape(expected % {"code": "tol_01"}) in content
    else:
        expected = gettext("The answer to %(code)s must be between %(min)s and %(max)s.")
        assert escape(expected % {"code": "tol_01", "min": 1, "max": 5}) in content
    assert not Response.objects.exists()
    # The valid answers are kept on screen so nothing has to be typed again.
    assert checked(parser)["item-nor_01"] == "4"


def test_a_tampered_form_leaves_an_existing_draft_untouched(activist_client, enrollment, consented):
    response_draft_save(enrollment=enrollment, wave="pre", answers={"tol_01": 2})
    activist_client.post(url("answer", enrollment), post_answers({"tol_01": "3", "x": "1"}))
    stored = Response.objects.get()
    assert stored.answers == {"tol_01": 2} and stored.status == Response.Status.DRAFT


def test_a_form_without_an_action_saves_nothing(activist_client, enrollment, consented):
    data = post_answers({"tol_01": "3"})
    del data["action"]
    response = activist_client.post(url("answer", enrollment), data)
    assert response.status_code == 200 and parse(response).alerts == 1
    assert not Response.objects.exists()


def test_the_page_never_shows_someone_elses_answers(
    activist_client, enrollment, instrument, cohort_setup, consented
):
    other = cohort_setup["enrollments"][1]
    research_consent_decide(enrollment=other, accepted=True)
    response_draft_save(enrollment=other, wave="pre", answers=dict.fromkeys(codes(instrument), 5))
    page = activist_client.get(url("answer", enrollment))
    assert checked(parse(page)) == {}
    body = page.content.decode()
    for someone in (other, enrollment):
        assert someone.activist.profile.participant_code not in body
        assert research_code_of(someone.activist.profile) not in body


# Closed and not yet open -----------------------------------------------------------------


def test_a_closed_wave_explains_when_it_closed_and_saves_nothing(
    activist_client, enrollment, cohort_setup, consented
):
    close_pre_wave(cohort_setup["cohort"], cohort_setup["sessions"])
    pre, _post = questionnaires_for(enrollment)
    response = activist_client.get(url("answer", enrollment))
    content = response.content.decode()
    assert response.status_code == 200 and "<fieldset" not in content
    expected = gettext("This questionnaire closed on %(date)s.") % {
        "date": date_format(pre.state.closes_on, "DATE_FORMAT")
    }
    assert escape(expected) in content

    posted = activist_client.post(url("answer", enrollment), post_answers({"tol_01": "3"}))
    assert posted.url == url("answer", enrollment)
    assert not Response.objects.exists()


def test_the_exit_questionnaire_opens_after_the_last_session(
    activist_client, enrollment, cohort_setup, consented
):
    content = activist_client.get(url("answer", enrollment, "post")).content.decode()
    assert "<fieldset" not in content
    days = enrollment.cohort.course.post_wave_days
    expected = ngettext(
        "This questionnaire opens when the last session of your course has been held. From "
        "then on you will have %(days)s day to answer it.",
        "This questionnaire opens when the last session of your course has been held. From "
        "then on you will have %(days)s days to answer it.",
        days,
    ) % {"days": days}
    assert escape(expected) in content
    close_pre_wave(cohort_setup["cohort"], cohort_setup["sessions"])
    content = activist_client.get(url("answer", enrollment, "post")).content.decode()
    assert content.count("<fieldset") == 21


# "My courses" snippet --------------------------------------------------------------------


def render_due(enrollment) -> str:
    return render_to_string(
        "assessments/includes/due_questionnaires.html",
        {"enrollment": enrollment, "waves": questionnaires_for(enrollment)},
    )


def test_due_snippet_links_to_consent_then_answer_then_says_sent(enrollment, instrument):
    html = render_due(enrollment)
    assert f'href="{url("consent", enrollment)}"' in html
    assert text("Answer the entry questionnaire") in html
    assert text("opens when the last session of the course has been held.") in html

    research_consent_decide(enrollment=enrollment, accepted=True)
    response_draft_save(enrollment=enrollment, wave="pre", answers={"tol_01": 2})
    html = render_due(enrollment)
    assert f'href="{url("answer", enrollment)}"' in html
    assert text("Continue the entry questionnaire") in html

    response_submit(enrollment=enrollment, wave="pre", answers={"tol_01": 2})
    html = render_due(enrollment)
    assert url("answer", enrollment) not in html
    sent_on = date_format(timezone.localdate(), "DATE_FORMAT")
    assert escape(gettext("sent on %(date)s. Thank you.") % {"date": sent_on}) in html


def test_due_snippet_respects_a_refusal_and_is_empty_when_withdrawn_or_no_instrument(
    enrollment, cohort_setup
):
    research_consent_decide(enrollment=enrollment, accepted=False)
    html = render_due(enrollment)
    assert text("Answer the entry questionnaire") not in html
    assert text("Change my decision") in html and url("consent", enrollment) in html

    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    assert render_due(enrollment).strip() == ""

    course = cohort_setup["cohort"].course
    course.pre_instrument = course.post_instrument = None
    course.save()
    other = EnrollmentFactory(cohort=cohort_setup["cohort"])
    assert render_due(other).strip() == ""


def test_the_questionnaire_page_needs_the_same_queries_for_any_number_of_items(
    activist_client, enrollment, instrument, consented
):
    with CaptureQueriesContext(connection) as full:
        activist_client.get(url("answer", enrollment))
    data = json.loads(EXAMPLE_INSTRUMENT.read_bytes())
    data["version"] = "short"
    data["items"] = [i for i in data["items"] if i["code"].startswith("tol_")]
    short = instrument_import(json.dumps(data).encode())
    course = enrollment.cohort.course
    course.pre_instrument = short
    course.save()
    with CaptureQueriesContext(connection) as fewer:
        page = activist_client.get(url("answer", enrollment))
    assert page.content.decode().count("<fieldset") == 5
    assert len(full) == len(fewer) <= 20
