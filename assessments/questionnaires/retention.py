"""Questionnaire answers past their retention period: deleted, or first aggregated per cohort
and wave (:class:`assessments.models.ResponseSummary`), as the data-protection settings say.

Submitted answers count from their submission, drafts from their last change. Answers whose
participant withdrew them from research are deleted without being aggregated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction

from assessments.analytics.cache import responses_changed
from assessments.models import Response, ResponseSummary

DELETE, AGGREGATE = "delete", "aggregate"


def expired_responses(*, before: dt.datetime):
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED, submitted_at__lt=before)
    drafts = Response.objects.filter(status=Response.Status.DRAFT, updated_at__lt=before)
    return submitted | drafts


def _aggregate(responses) -> int:
    """Add the responses to their cohort's and wave's summaries; returns how many."""
    groups: dict[tuple, list[tuple[dict, dict]]] = defaultdict(list)
    for instrument_id, cohort_id, site_id, wave, answers, scores in responses.values_list(
        "instrument_id", "cohort_id", "site_id", "wave", "answers", "scores"
    ):
        groups[(instrument_id, cohort_id, site_id, wave)].append((answers or {}, scores or {}))
    for (instrument_id, cohort_id, site_id, wave), rows in groups.items():
        summary, _created = ResponseSummary.objects.select_for_update().get_or_create(
            instrument_id=instrument_id,
            cohort_id=cohort_id,
            wave=wave,
            defaults={"site_id": site_id},
        )
        for answers, scores in rows:
            for code, value in answers.items():
                counts = summary.item_counts.setdefault(code, {})
                key = "null" if value is None else str(value)
                counts[key] = counts.get(key, 0) + 1
            for code, score in scores.items():
                if score is None:
                    continue
                sums = summary.score_sums.setdefault(code, {"n": 0, "sum": 0.0, "sum_sq": 0.0})
                sums["n"] += 1
                sums["sum"] += float(score)
                sums["sum_sq"] += float(score) ** 2
        summary.responses += len(rows)
        summary.save()
    return sum(len(rows) for rows in groups.values())


@transaction.atomic
def responses_expire(*, before: dt.datetime, action: str, dry_run: bool = False) -> int:
    """Remove the answers older than `before` (aggregating the submitted, analysable ones when
    `action` is "aggregate"); returns how many responses go. Idempotent."""
    expired = expired_responses(before=before)
    count = expired.count()
    if dry_run or not count:
        return count
    if action == AGGREGATE:
        _aggregate(expired.filter(status=Response.Status.SUBMITTED, withdrawn_at__isnull=True))
    Response.objects.filter(pk__in=list(expired.values_list("pk", flat=True))).delete()
    responses_changed()
    return count
