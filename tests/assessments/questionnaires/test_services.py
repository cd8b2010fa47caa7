import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.analytics.cache import responses_generation
from assessments.instruments.scoring import ScoringKey
from assessments.models import ResearchConsent, Response
from assessments.questionnaires.services import (
    research_consent_decide,
    response_draft_save,
    response_submit,
)
from assessments.questionnaires.windows import questionnaire_waves
from lms.research_codes import research_code_of
from tests.factories import SessionDeliveryFactory


def all_answers(instrument, value=4):
    return dict.fromkeys(instrument.items.values_list("code", flat=True), value)


def test_scoring_reverse_codes_drops_fillers_and_applies_the_80_percent_rule(instrument):
    key = ScoringKey.for_instrument(instrument)
    assert "fil_01" not in key.item_codes
    items = {i.code: i for i in instrument.items.select_related("subscale")}
    consent_items = [c for c in key.item_codes if items[c].subscale.code == "consentimiento"]
    answers = dict.fromkeys(consent_items, 5)
    reversed_items = [c for c in consent_items if items[c].reverse]
    # 5 items: reverse ones score 1 + 5 - 5 = 1, others 5.
    expected = (5 * (5 - len(reversed_items)) + 1 * len(reversed_items)) / 5
    assert key.scores(answers)["consentimiento"] == pytest.approx(expected)
    # 4 of 5 answered (80%): still scored; 3 of 5 (60%): missing.
    straight = [c for c in consent_items if not items[c].reverse]
    four = {c: answers[c] for c in consent_items[:4]}
    assert key.scores(four)["consentimiento"] is not None
    three = dict.fromkeys(straight[:3], 5)
    assert key.scores(three)["consentimiento"] is None


def test_waves_pre_open_until_first_session_post_after_last(enrollment, cohort_setup):
    cohort, sessions = cohort_setup["cohort"], cohort_setup["sessions"]
    pre, post = questionnaire_waves(enrollment)
    assert pre.is_open and not post.is_open
    now = timezone.now()
    deliveries = [
        SessionDeliveryFactory(
            cohort=cohort, session=s, scheduled_at=now - dt.timedelta(days=10 - i), status="held"
        )
        for i, s in enumerate(sessions)
    ]
    pre, post = questionnaire_waves(enrollment)
    assert not pre.is_open
    assert post.is_open and post.opens_on == timezone.localdate(deliveries[-1].scheduled_at)
    pre, post = questionnaire_waves(enrollment, today=post.closes_on + dt.timedelta(days=1))
    assert not post.is_open


def test_no_answers_without_consent_and_refusal_is_recorded(enrollment, instrument):
    with pytest.raises(ValidationError):
        response_draft_save(enrollment=enrollment, wave="pre", answers={})
    consent = research_consent_decide(enrollment=enrollment, accepted=False)
    assert consent.decision == ResearchConsent.Decision.REFUSED and consent.text_version
    with pytest.raises(ValidationError):
        response_submit(enrollment=enrollment, wave="pre", answers=all_answers(instrument))
    assert not Response.objects.exists()


def test_submission_is_pseudonymous_scored_and_idempotent(enrollment, instrument):
    research_consent_decide(enrollment=enrollment, accepted=True)
    response_draft_save(enrollment=enrollment, wave="pre", answers={"tol_01": 2})
    key = uuid.uuid4()
    response, new = response_submit(
        enrollment=enrollment, wave="pre", answers=all_answers(instrument), submission_key=key
    )
    assert new is True
    assert response.research_code == research_code_of(enrollment.activist.profile)
    assert response.research_code != enrollment.activist.profile.participant_code
    assert response.status == "submitted" and response.scores["tolerancia"] is not None
    assert response.scoring_key_version == "ejemplo-tolerancia@1.0"
    again, new = response_submit(
        enrollment=enrollment, wave="pre", answers=all_answers(instrument, 1), submission_key=key
    )
    assert new is False and again.pk == response.pk
    response.refresh_from_db()
    assert response.answers["tol_01"] == 4
    assert Response.objects.count() == 1
    assert not any(f.name in {"user", "activist", "enrollment"} for f in Response._meta.fields)


@pytest.mark.parametrize(
    "bad", [{"tol_01": 6}, {"tol_01": 0}, {"zzz_99": 3}, {"tol_01": "mucho"}, {"tol_01": True}]
)
def test_out_of_range_or_unknown_answers_save_nothing(enrollment, instrument, bad):
    research_consent_decide(enrollment=enrollment, accepted=True)
    answers = all_answers(instrument) | bad
    with pytest.raises(ValidationError):
        response_submit(enrollment=enrollment, wave="pre", answers=answers)
    assert not Response.objects.filter(status="submitted").exists()
    assert not Response.objects.exclude(answers={}).exists()


def test_prefer_not_to_answer_is_kept_as_null(enrollment, instrument):
    research_consent_decide(enrollment=enrollment, accepted=True)
    answers = all_answers(instrument) | {"tol_01": None}
    response, _ = response_submit(enrollment=enrollment, wave="pre", answers=answers)
    assert response.answers["tol_01"] is None
    assert response.scores["tolerancia"] is not None  # 4 of 5 answered


def test_a_submission_moves_the_responses_generation_on_after_commit(
    enrollment, instrument, django_capture_on_commit_callbacks
):
    research_consent_decide(enrollment=enrollment, accepted=True)
    before = responses_generation()
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(enrollment=enrollment, wave="pre", answers=all_answers(instrument))
    assert responses_generation() == before + 1  # cached figures are computed again
