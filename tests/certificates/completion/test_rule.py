"""The completion rule: each requirement's verdict and facts, the sentences that state it, the
screens that read it, and a new requirement plugged in as one more object."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from assessments.questionnaires.services import research_consent_decide
from certificates.accreditation.evidence import cohort_evidence
from certificates.accreditation.exports import acta_content, acta_csv
from certificates.completion.requirements import REQUIREMENTS, Check, Requirement
from certificates.completion.rule import COMPLETION, CompletionRule, cohort_completion
from certificates.issuance.selectors import cohort_eligibility
from courses.models import Enrollment
from courses.services.delivery import enrollment_set_status
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    SessionPageFactory,
    hold_sessions,
    person,
)
from tests.helpers import en, pdf_text, submit_response


@pytest.fixture
def sessions(course):
    return [SessionPageFactory(parent=course, number=n) for n in range(1, 6)]


@pytest.fixture
def cohort(cohort_setup, sessions, instrument):
    """Five sessions held; the course requires session 2 and the entry questionnaire."""
    cohort = cohort_setup["cohort"]
    course = cohort.course
    course.required_sessions.set([sessions[1]])
    course.require_pre_questionnaire = True
    course.pre_instrument = instrument
    course.save()
    cohort.refresh_from_db()
    return cohort


def marks(cohort, sessions, plan: dict[str, str]) -> dict[str, Enrollment]:
    """One enrollment per named plan of P/L/E/A marks, attendance taken by the trainer."""
    enrollments = {name: EnrollmentFactory(cohort=cohort) for name in plan}
    hold_sessions(
        cohort,
        sessions,
        {enrollments[name]: list(letters) for name, letters in plan.items()},
        days_ago_start=40,
    )
    return enrollments


def submit_entry(enrollment, instrument):
    submit_response(
        instrument=instrument,
        cohort=enrollment.cohort,
        code=research_code_of(enrollment.activist.profile),
        wave="pre",
        answers={},
    )


def test_each_requirement_gives_its_verdict_and_facts(cohort, sessions, instrument):
    made = marks(
        cohort,
        sessions,
        {
            "complete": "PPPPL",
            "missed_required": "PAPPP",
            "low": "PPAAA",
            "declined": "PPPPP",
            "no_entry": "PPPPP",
        },
    )
    for name in ("complete", "missed_required", "low"):
        submit_entry(made[name], instrument)
    research_consent_decide(enrollment=made["declined"], accepted=False)
    with translation.override("en"):
        result = {c.enrollment.pk: c for c in cohort_completion(cohort).enrollments}

    complete = result[made["complete"].pk]
    assert complete.eligible and complete.reasons == ()
    assert list(complete.checks) == [
        "enrolled",
        "attendance",
        "required_sessions",
        "questionnaires",
        "practice",
    ]
    attendance = complete.checks["attendance"]
    assert (attendance.attendance.attended, attendance.attendance.scheduled) == (5, 5)
    assert attendance.attended_sessions == [1, 2, 3, 4, 5]
    assert attendance.needed == 0 and attendance.reachable

    missed = result[made["missed_required"].pk]
    assert not missed.eligible
    assert missed.checks["attendance"].met  # 4 of 5 is 80 %
    assert missed.checks["required_sessions"].missed == (sessions[1].title,)
    assert missed.reasons == (f"Must attend the session “{sessions[1].title}”.",)

    low = result[made["low"].pk]
    assert low.reasons == ("Attended 2 of 5 sessions (40%); 80% is required.",)
    assert not low.checks["attendance"].reachable

    declined = result[made["declined"].pk]
    assert declined.eligible  # a refusal meets the questionnaire requirement
    assert declined.checks["questionnaires"].declined
    assert not declined.checks["questionnaires"].entry_submitted

    no_entry = result[made["no_entry"].pk]
    assert no_entry.reasons == ("The entry questionnaire has not been submitted.",)

    enrollment_set_status(actor=None, enrollment=made["complete"], status="withdrawn")
    with translation.override("en"):
        withdrawn = cohort_completion(cohort).of(made["complete"])
    assert withdrawn.reasons == ("Withdrew from the cohort.",)


def test_the_rule_states_itself_for_the_course(cohort, sessions):
    with translation.override("en"):
        sentences = cohort_completion(cohort).sentences
    assert sentences == (
        "Stay enrolled in the cohort (whoever withdraws does not complete it).",
        "Attend at least 80% of all scheduled sessions of the cohort (not cancelled), future "
        "ones included.",
        "Statuses that count: Present, Late.",
        f"Sessions that must be attended: {sessions[1].title}.",
        "The entry questionnaire must be submitted.",
        "Whoever declined to answer the questionnaires is not held to this.",
    )
    with translation.override("es"):
        assert "Estados que cuentan: Presente, Tardanza." in cohort_completion(cohort).sentences


def test_every_screen_states_the_same_rule(client, cohort, sessions):
    marks(cohort, sessions, {"one": "PPPPP"})
    with translation.override("en"):
        sentences = cohort_completion(cohort).sentences
    client.force_login(person(Role.COORDINATOR))
    eligibility = client.get(en("certificates:cohort", cohort.pk)).content.decode()
    evidence = client.get(en("accreditation:cohort", cohort.pk)).content.decode()
    audit = client.get(en("accreditation:index")).content.decode()
    for sentence in sentences:
        plain = sentence.replace("“", "&ldquo;")
        for page in (eligibility, evidence, audit):
            assert sentence in page or plain in page

    with translation.override("es"):
        spanish = " ".join(cohort_completion(cohort).sentences)
    text, _reader = pdf_text(client.get(en("accreditation:cohort_pdf", cohort.pk)).content)
    assert " ".join(spanish.split()) in text


def test_the_acta_and_the_eligibility_screen_agree(client, cohort, sessions, instrument):
    made = marks(cohort, sessions, {"a": "PPPPP", "b": "PAPPP", "c": "PPPPA", "d": "AAAPP"})
    for enrollment in made.values():
        submit_entry(enrollment, instrument)
    eligible = {row.enrollment.pk for row in cohort_eligibility(cohort) if row.eligible}
    assert eligible == {made["a"].pk, made["c"].pk}
    _name, _type, data = acta_csv(cohort_evidence(cohort))
    rows = data.decode("utf-8-sig").splitlines()
    header = rows[0].split(",")
    by_code = {
        line.split(",")[0]: dict(zip(header, line.split(","), strict=False)) for line in rows[1:]
    }
    for enrollment in made.values():
        row = by_code[enrollment.activist.profile.participant_code]
        assert row["eligible"] == ("yes" if enrollment.pk in eligible else "no")
    content = acta_content(
        cohort_evidence(cohort), produced_by=person(Role.ACCREDITOR), produced_at=timezone.now()
    )
    assert {a.participant_code for a in content.activists if a.eligible} == {
        made[n].activist.profile.participant_code for n in ("a", "c")
    }


def test_reading_a_cohort_costs_the_same_queries_whatever_its_size(course, cohort_setup, sessions):
    def queries(cohort) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = cohort_completion(cohort)
            [c.reasons for c in result.enrollments]
            result.sentences  # noqa: B018
        return len(captured)

    small = CohortFactory(
        course=course, cem=cohort_setup["cem"], trainers=[cohort_setup["trainer"]]
    )
    marks(small, sessions[:2], {"one": "PP"})
    big = CohortFactory(course=course, cem=cohort_setup["cem"], trainers=[cohort_setup["trainer"]])
    marks(big, sessions, {f"n{i}": "PLPAP" for i in range(12)})
    queries(small)  # the attendance rules row is created on first use
    assert queries(small) == queries(big)


# --- A new requirement -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class InterviewCheck(Check):
    interviewed: bool


class FinalInterview(Requirement):
    """Stands for a later requirement (an interview with the trainers): one class, its facts."""

    code = "interview"
    loads = 0

    def load(self, inputs):
        FinalInterview.loads += 1
        return {e.pk: bool(e.pk % 2) for e in inputs.enrollments}

    def check(self, enrollment, inputs, loaded) -> InterviewCheck:
        done = loaded[enrollment.pk]
        return InterviewCheck(
            requirement=self.code,
            met=done,
            reasons=() if done else ("Needs the final interview.",),
            interviewed=done,
        )

    def sentences(self, course, loaded):
        return ["Have the final interview with the trainers."]


def test_a_new_requirement_plugs_in_as_one_more_object(cohort, sessions, instrument):
    made = marks(cohort, sessions, dict.fromkeys("abcd", "PPPPP"))
    for enrollment in made.values():
        submit_entry(enrollment, instrument)
    rule = CompletionRule((*REQUIREMENTS, FinalInterview()))
    FinalInterview.loads = 0
    result = rule.of_cohort(cohort)
    assert FinalInterview.loads == 1  # read once for the whole cohort
    assert result.sentences[-1] == "Have the final interview with the trainers."
    mine = {e.pk for e in made.values()}
    rows = [row for row in result.enrollments if row.enrollment.pk in mine]
    for row in rows:
        interview = row.checks["interview"]
        assert row.eligible == interview.interviewed
        if not interview.met:
            assert row.reasons == ("Needs the final interview.",)
    assert {row.eligible for row in rows} == {True, False}
    # The shared rule is untouched.
    assert "interview" not in COMPLETION.of_cohort(cohort).enrollments[0].checks


def test_the_activist_reads_her_progress_from_the_rule(client, cohort, sessions):
    later = CohortFactory(
        course=cohort.course, cem=cohort.cem, trainers=list(cohort.trainers.all())
    )
    enrollment = EnrollmentFactory(cohort=later)
    hold_sessions(later, sessions, {enrollment: ["P", "A", None, None, None]}, days_ago_start=8)
    client.force_login(enrollment.activist)
    with translation.override("en"):
        expected = COMPLETION.of_cohort(later).of(enrollment).progress
    assert expected[0].startswith("You have attended 1 of 5 sessions; you need to attend 3 more")
    assert expected[1] == "The entry questionnaire must be submitted."
    for url in (en("courses:my_courses"), en("home:dashboard")):
        body = client.get(url).content.decode()
        for line in expected:
            assert line in body, url
