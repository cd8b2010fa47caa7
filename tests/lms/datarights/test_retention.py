"""Retention: the periods of the data-protection settings, applied by the periodic job and by
`manage.py apply_retention`; a dry run changes nothing; a second run finds nothing to do."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from assessments.models import Response, ResponseSummary
from certificates.models import VerificationLookup
from lms.audit import audit_record
from lms.datarights.retention import months_before, retention_apply
from lms.models import AuditLogEntry, DataProtectionSettings
from lms.periodic import periodic_jobs, run_periodic_jobs
from lms.research_codes import research_code_of
from tests.helpers import submit_response

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=800)


def settings(**values):
    protection = DataProtectionSettings.load()
    for name, value in values.items():
        setattr(protection, name, value)
    protection.save()


@pytest.fixture
def old_data(holder):
    """Two years old: her entry answers, a verification lookup and an audit entry."""
    Response.objects.update(submitted_at=LONG_AGO)
    code = research_code_of(holder["activist"].profile)
    key_answers = Response.objects.get(research_code=code).answers
    submit_response(
        instrument=holder["instrument"],
        cohort=holder["cohort"],
        code="RECI-ENTE",
        wave="pre",
        answers=key_answers,
        scores={"tolerancia": 3.0},
    )  # recent: kept
    lookup = VerificationLookup.objects.create(code_tried="X", client_hash="h")
    VerificationLookup.objects.filter(pk=lookup.pk).update(at=LONG_AGO)
    entry = audit_record(
        actor=None,
        action=AuditLogEntry.Action.CREATE,
        instance=holder["cohort"],
        site=None,
        after={"old": True},
    )
    # Aged by hand: nothing but the two sanctioned changes ever rewrites an entry.
    models.QuerySet.update(AuditLogEntry.objects.filter(pk=entry.pk), created_at=LONG_AGO)
    return holder


def test_months_before_keeps_the_day_or_takes_the_last_of_a_short_month():
    at = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(at, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert months_before(at, 15) == dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC)


def test_nothing_goes_without_retention_periods(old_data):
    counts = {o.rule.key: o.count for o in retention_apply(now=NOW)}
    assert counts["assessments.answers"] is None and counts["lms.audit"] is None
    assert Response.objects.count() == 2


def test_a_dry_run_counts_and_changes_nothing(old_data):
    settings(answers_retention_months=12, audit_retention_months=12, lookups_retention_days=90)
    before = (Response.objects.count(), AuditLogEntry.objects.count())
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Respuestas a los cuestionarios: 1 would be removed" in text
    assert "Consultas de verificación de certificados: 1 would be removed" in text
    assert "Dry run" in text
    assert (Response.objects.count(), AuditLogEntry.objects.count()) == before
    assert VerificationLookup.objects.count() == 1


def test_answers_are_aggregated_then_deleted_and_a_second_run_does_nothing(old_data):
    settings(answers_retention_months=12, answers_at_retention="aggregate")
    counts = {o.rule.key: o.count for o in retention_apply(now=NOW)}
    assert counts["assessments.answers"] == 1
    assert list(Response.objects.values_list("research_code", flat=True)) == ["RECI-ENTE"]
    summary = ResponseSummary.objects.get()
    assert (summary.cohort, summary.wave, summary.responses) == (old_data["cohort"], "pre", 1)
    assert (
        set(summary.item_counts["tol_01"]) == {"3"} and summary.score_sums["tolerancia"]["n"] == 1
    )
    entry = AuditLogEntry.objects.filter(before__has_key="retention").get()
    assert entry.before["retention"] == {"assessments.answers": 1, "certificates.lookups": 1}
    again = {o.rule.key: o.count for o in retention_apply(now=NOW)}
    assert again["assessments.answers"] == 0
    assert ResponseSummary.objects.get().responses == 1


def test_answers_may_be_deleted_without_aggregates(old_data):
    settings(answers_retention_months=12, answers_at_retention="delete")
    retention_apply(now=NOW)
    assert Response.objects.count() == 1 and not ResponseSummary.objects.exists()


def test_old_lookups_and_audit_entries_go_and_the_log_says_so(old_data):
    settings(lookups_retention_days=90, audit_retention_months=12)
    total = AuditLogEntry.objects.count()
    retention_apply(now=NOW)
    assert not VerificationLookup.objects.exists()
    assert not AuditLogEntry.objects.filter(created_at__lt=NOW - dt.timedelta(days=400)).exists()
    expiry = AuditLogEntry.objects.get(before__has_key="audit_entries_before")
    assert expiry.before["count"] == 1
    assert AuditLogEntry.objects.count() == total - 1 + 2  # the expiry and the run's summary


def test_the_periodic_job_applies_retention(old_data):
    assert "apply-retention" in {job.name for job in periodic_jobs()}
    settings(answers_retention_months=12, answers_at_retention="delete")
    [run] = run_periodic_jobs(names=["apply-retention"])
    assert run.error is None and run.result["assessments.answers"] == 1
