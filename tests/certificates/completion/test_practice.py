"""Supervised practice as a requirement of the completion rule: verified replica sessions within
the course's days, in eligibility, progress and sentences; certificates issued when the last
one is verified after the cohort closed, and by the periodic catch-up."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from certificates.completion.rule import cohort_completion
from certificates.issuance.services import cohort_close
from certificates.models import Certificate
from courses.cascade.services import replica_record, replica_verify
from courses.cascade.tasks import issue_practice_certificates
from courses.models import Cohort, ReplicaSession
from tests.factories import CommunityGroupFactory, EnrollmentFactory, hold_sessions
from tests.helpers import replica_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(cohort_setup, course):
    """The course requires 2 verified replica sessions within 30 days of the last session; two
    activists attended everything and each has a group of the course."""
    course.practice_amount, course.practice_days = 2, 30
    course.save()
    cohort = Cohort.objects.get(pk=cohort_setup["cohort"].pk)
    ana, eva = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, cohort_setup["sessions"], {ana: list("PPPP"), eva: list("PPPP")})
    groups = {
        e: CommunityGroupFactory(activist=e.activist, course=course, cem=cohort.cem)
        for e in (ana, eva)
    }
    return {"cohort": cohort, "ana": ana, "eva": eva, "groups": groups, **cohort_setup}


def run(practice, enrollment, *, days_ago=2, verify=True):
    replica = replica_record(
        actor=enrollment.activist,
        group=practice["groups"][enrollment],
        data=replica_input(practice["sessions"], days_ago=days_ago),
    ).replica
    if verify:
        replica_verify(actor=practice["trainer"], replica=replica)
    return replica


def test_only_verified_replicas_within_the_window_count(practice):
    ana = practice["ana"]
    run(practice, ana)
    run(practice, ana, verify=False)
    with translation.override("en"):
        check = cohort_completion(practice["cohort"]).of(ana).checks["practice"]
        progress = check.progress
    assert (check.met, check.done, check.pending, check.required) == (False, 1, 1, 2)
    assert check.reasons[0].startswith("Has run 1 of the 2 verified replica sessions required")
    assert progress[0].startswith("Supervised practice: 1 of 2 verified replica sessions, by ")
    assert progress[1] == "1 more waits for verification by the CEM."
    replica = ReplicaSession.objects.get(status="pending")
    replica_verify(actor=practice["trainer"], replica=replica)
    completion = cohort_completion(practice["cohort"]).of(ana)
    assert completion.checks["practice"].met and completion.eligible


def test_a_replica_before_the_cohort_started_does_not_count(practice):
    ana = practice["ana"]
    cohort = practice["cohort"]
    cohort.start_date = timezone.localdate() - dt.timedelta(days=5)
    cohort.save()
    run(practice, ana, days_ago=20)
    run(practice, ana, days_ago=1)
    assert cohort_completion(cohort).of(ana).checks["practice"].done == 1


def test_a_co_facilitator_counts_the_groups_sessions(practice):
    ana, eva = practice["ana"], practice["eva"]
    practice["groups"][ana].co_facilitators.add(eva.activist)
    run(practice, ana)
    run(practice, ana)
    completion = cohort_completion(practice["cohort"])
    assert completion.of(eva).checks["practice"].done == 2
    assert completion.of(eva).eligible


def test_hours_instead_of_sessions(practice, course):
    course.practice_unit, course.practice_amount = "hours", 3
    course.save()
    ana = practice["ana"]
    run(practice, ana)  # 90 minutes
    run(practice, ana)
    check = (
        cohort_completion(Cohort.objects.get(pk=practice["cohort"].pk)).of(ana).checks["practice"]
    )
    assert (check.met, check.done) == (True, 3)


def test_the_rule_states_the_practice(practice):
    with translation.override("en"):
        sentences = cohort_completion(practice["cohort"]).sentences
    assert sentences[-1] == (
        "Supervised practice: 2 replica sessions with a community group, verified by the CEM, "
        "within 30 days of the cohort's last session."
    )


def test_closing_issues_only_the_eligible_and_the_last_verification_issues_later(
    practice, django_capture_on_commit_callbacks
):
    ana, eva = practice["ana"], practice["eva"]
    run(practice, ana)
    run(practice, ana)
    run(practice, eva)
    with django_capture_on_commit_callbacks(execute=True):
        issued = cohort_close(actor=None, cohort=practice["cohort"])
    assert {c.enrollment_id for c in issued} == {ana.pk}
    last = run(practice, eva, verify=False)
    with django_capture_on_commit_callbacks(execute=True):
        replica_verify(actor=practice["trainer"], replica=last)
    assert Certificate.objects.filter(enrollment=eva, status="valid").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert issue_practice_certificates() == 0  # nothing left to issue


def test_the_periodic_catch_up_issues_what_a_lost_task_did_not(
    practice, django_capture_on_commit_callbacks
):
    eva = practice["eva"]
    with django_capture_on_commit_callbacks(execute=True):
        cohort_close(actor=None, cohort=practice["cohort"])
    run(practice, eva)
    run(practice, eva)  # verified without running the queued tasks (a broker outage)
    assert not Certificate.objects.filter(enrollment=eva).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert issue_practice_certificates() == 1
        assert issue_practice_certificates() == 0
    assert Certificate.objects.get(enrollment=eva).is_valid


def test_the_activists_progress_and_the_acta_show_the_practice(client, practice):
    from lms.roles import Role
    from tests.factories import person
    from tests.helpers import en, pdf_text

    ana = practice["ana"]
    run(practice, ana)
    client.force_login(ana.activist)
    for url in (en("courses:my_courses"), en("home:dashboard")):
        body = client.get(url).content.decode()
        assert "Supervised practice: 1 of 2 verified replica sessions, by " in body, url
    client.force_login(person(Role.ACCREDITOR))
    evidence = client.get(en("accreditation:cohort", practice["cohort"].pk)).content.decode()
    assert "1 of 2 verified replica sessions" in evidence
    text, _reader = pdf_text(
        client.get(en("accreditation:cohort_pdf", practice["cohort"].pk)).content
    )
    assert "Práctica supervisada: 2 sesiones de réplica con un grupo comunitario" in text
    assert "práctica: 1/2 réplicas verificadas · no cumple" in text
    csv = client.get(en("accreditation:cohort_csv", practice["cohort"].pk)).content.decode(
        "utf-8-sig"
    )
    assert "practice_verified" in csv.splitlines()[0]


def test_the_catch_up_is_a_registered_periodic_job():
    from lms.periodic import beat_schedule, periodic_jobs

    [job] = [j for j in periodic_jobs() if j.name == "issue-certificates-after-practice"]
    assert job.task == issue_practice_certificates.name
    assert beat_schedule()[job.name]["task"] == "courses.cascade.tasks.issue_practice_certificates"
