"""Rows → aligned matrices: each participant's entry and exit answers side by side, and where
her exit questionnaire stands.

The responses come from one query (:func:`response_rows`) that reads each scored item's answer
out of the JSON in the database, as a number (NaN when not answered or "prefer not to answer"),
so that no answers dictionary is decoded in Python; what the exit windows need (the cohorts'
sessions and exit periods, who withdrew and their research codes) comes from four more,
whatever the number of participants. The numbers themselves are
:mod:`assessments.analytics.analysis`'s.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from assessments.analytics.analysis import EXIT_ANSWERED, EXIT_AWAITED, EXIT_MISSED
from assessments.instruments.scoring import ScoringKey
from assessments.models import Response, Wave
from assessments.questionnaires.windows import exit_window
from courses.models import Cohort, Enrollment, SessionDelivery
from lms.research_codes import research_codes_of_people

RESPONSE_FIELDS = ("research_code", "cohort_id", "site_id", "wave", "sex", "generation")


def response_rows(responses: QuerySet[Response], key: ScoringKey) -> QuerySet:
    """``RESPONSE_FIELDS`` and then one float per scored item of the key, in its order."""
    items = {f"item_{position}": _answer(code) for position, code in enumerate(key.item_codes)}
    return responses.order_by().annotate(**items).values_list(*RESPONSE_FIELDS, *items)


def _answer(code: str):
    """One item's answer as a float. PostgreSQL: the key's text (NULL for JSON null or a
    missing key) cast, NaN instead of NULL; SQLite: JSON_EXTRACT itself, which gives NULL for
    JSON null (Django's key lookups there give the text "null", which casts to 0)."""
    if connection.vendor == "postgresql":
        return Coalesce(Cast(KT(f"answers__{code}"), FloatField()), Value(math.nan))
    path = Value(f'$."{code}"')
    return Func(F("answers"), path, function="JSON_EXTRACT", output_field=FloatField())


def _matrix(values: list[tuple | None], k: int) -> np.ndarray:
    """Rows of item values (None: no response in that wave) as an n × k float matrix."""
    matrix = np.full((len(values), k), np.nan)
    present = [row for row, answers in enumerate(values) if answers is not None]
    if present and k:
        answered = [values[row] for row in present]
        try:
            matrix[present] = np.array(answered, dtype=float)
        except TypeError:  # a database without NaN gives None for a missing answer
            matrix[present] = np.array(
                [[np.nan if v is None else v for v in row] for row in answered], dtype=float
            )
    return matrix


@dataclass(frozen=True)
class PairedData:
    """Pre and post answers aligned by participant: one row per (research code, cohort).

    ``pre`` / ``post`` hold the raw answers of every scored item of the key (NaN = not
    answered, or no response in that wave). Sex and generation come from the entry (pre)
    response when there is one, else from the exit response. ``exit_state`` (one of
    ``EXIT_ANSWERED``, ``EXIT_AWAITED``, ``EXIT_MISSED`` per row) is filled by
    :func:`with_exit_states`; without it every missing exit counts as attrition.
    """

    key: ScoringKey
    participants: tuple[tuple[str, int], ...]
    pre: np.ndarray
    post: np.ndarray
    has_pre: np.ndarray
    has_post: np.ndarray
    cohort_id: np.ndarray
    site_id: np.ndarray
    sex: np.ndarray
    generation: np.ndarray
    exit_state: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.participants)


def paired_data(rows: Iterable[Sequence], key: ScoringKey) -> PairedData:
    """Align the rows of :func:`response_rows` (one instrument) by participant."""
    index: dict[tuple[str, int], int] = {}
    pre_answers: list[tuple | None] = []
    post_answers: list[tuple | None] = []
    attrs: list[list] = []  # [cohort_id, site_id, sex, generation, from_pre]
    has_pre: list[bool] = []
    has_post: list[bool] = []
    fields = len(RESPONSE_FIELDS)
    for values in rows:
        code, cohort_id, site_id, wave, sex, generation = values[:fields]
        pair = (code, cohort_id)
        row = index.get(pair)
        if row is None:
            row = index[pair] = len(attrs)
            pre_answers.append(None)
            post_answers.append(None)
            attrs.append([cohort_id, site_id, sex, generation, False])
            has_pre.append(False)
            has_post.append(False)
        is_pre = wave == Wave.PRE
        (pre_answers if is_pre else post_answers)[row] = values[fields:]
        (has_pre if is_pre else has_post)[row] = True
        if is_pre and not attrs[row][4]:
            attrs[row] = [cohort_id, site_id, sex, generation, True]

    def column(position: int, dtype) -> np.ndarray:
        return np.array([a[position] for a in attrs], dtype=dtype)

    return PairedData(
        key=key,
        participants=tuple(index),
        pre=_matrix(pre_answers, len(key.item_codes)),
        post=_matrix(post_answers, len(key.item_codes)),
        has_pre=np.array(has_pre, dtype=bool),
        has_post=np.array(has_post, dtype=bool),
        cohort_id=column(0, int),
        site_id=column(1, int),
        sex=column(2, object),
        generation=column(3, object),
    )


def exits_closed(cohort_ids: Iterable[int], *, today: dt.date) -> dict[int, bool]:
    """Per cohort, whether its exit questionnaire has closed (two queries in all)."""
    ids = set(cohort_ids)
    deliveries: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for cohort_id, at, status in (
        SessionDelivery.objects.filter(cohort_id__in=ids)
        .exclude(status=SessionDelivery.Status.CANCELLED)
        .order_by("cohort_id", "scheduled_at")
        .values_list("cohort_id", "scheduled_at", "status")
    ):
        deliveries[cohort_id].append((at, status))
    days = dict(Cohort.objects.filter(pk__in=ids).values_list("pk", "course__post_wave_days"))
    closed = {}
    for cohort_id in ids:
        _opens, closes = exit_window(deliveries[cohort_id], post_wave_days=days.get(cohort_id, 0))
        closed[cohort_id] = closes is not None and today > closes
    return closed


def withdrawn_participants(cohort_ids: Iterable[int]) -> set[tuple[str, int]]:
    """(code, cohort) of the participants who left their cohort: their exit questionnaire
    never opens for them, so a missing one is attrition."""
    left = list(
        Enrollment.objects.filter(cohort_id__in=set(cohort_ids), status=Enrollment.Status.WITHDRAWN)
        .values_list("activist_id", "cohort_id")
        .order_by()
    )
    codes = research_codes_of_people(user_id for user_id, _cohort in left)
    return {(codes[user_id], cohort_id) for user_id, cohort_id in left if user_id in codes}


def with_exit_states(data: PairedData, *, today: dt.date | None = None) -> PairedData:
    """``data`` with each participant's exit state: answered (an exit response exists),
    awaited (none, while the exit questionnaire is not open yet or still open) or missed
    (none, and it closed, or she withdrew from the cohort)."""
    if data.n == 0:
        return replace(data, exit_state=np.zeros(0, dtype=np.int8))
    today = today or timezone.localdate()
    cohorts = set(data.cohort_id.tolist())
    closed = exits_closed(cohorts, today=today)
    withdrawn = withdrawn_participants(cohorts)
    state = np.full(data.n, EXIT_ANSWERED, dtype=np.int8)
    for row, participant in enumerate(data.participants):
        if data.has_post[row]:
            continue
        missed = closed.get(participant[1], False) or participant in withdrawn
        state[row] = EXIT_MISSED if missed else EXIT_AWAITED
    return replace(data, exit_state=state)
