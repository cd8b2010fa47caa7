"""Coordinator analytics: the responses in the user's scope (:mod:`lms.access`) and the pre/post
report.

The numbers come from :mod:`assessments.analytics.analysis`; :mod:`~assessments.analytics.pairing`
turns database rows into aligned matrices. Responses are read with one query whatever the
number of participants (``values_list``), and every name shown (cohorts, sites, items), the exit
windows and the count of answers withdrawn from research come from a constant number of further
queries. Answers whose participant withdrew her consent for research (opposition) are left out
of every analysis and export from that moment; the report says how many.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.analytics.analysis import (
    METHOD_P_ADJUST,
    MIN_CELL,
    GroupResult,
    ItemAgreement,
    analyse_groups,
    item_agreement,
)
from assessments.analytics.pairing import PairedData, paired_data, response_rows, with_exit_states
from assessments.instruments.scoring import ScoringKey
from assessments.models import Instrument, Item, Response, Subscale
from courses.models import Cohort
from lms import access
from lms.models import ParticipantProfile, Site

User = AbstractBaseUser | AnonymousUser

#: Label of the row that pools every participant in scope.
OVERALL = "__all__"


class Grouping(StrEnum):
    COHORT = "cohort"
    SITE = "site"
    GENERATION = "generation"
    SEX = "sex"

    @property
    def label(self) -> str:
        return str(GROUPING_LABELS[self])


GROUPING_LABELS = {
    Grouping.COHORT: gettext_lazy("Cohort"),
    Grouping.SITE: gettext_lazy("Site"),
    Grouping.GENERATION: gettext_lazy("Generation"),
    Grouping.SEX: gettext_lazy("Sex"),
}


# --------------------------------------------------------------------------------------
# Access and scope
# --------------------------------------------------------------------------------------


def analytics_allowed(user: User) -> bool:
    """Coordinators (site or national) and superusers. Accreditors never see answers."""
    return access.has_any_role(user, access.COORDINATES)


def analytics_site_id(user: User) -> int | None:
    """The one site a user's analytics and exports are limited to; None means every site."""
    return access.coordination_scope(user).site_id


def submitted_responses(
    user: User,
    *,
    instrument: Instrument | None = None,
    site_id: int | None = None,
    cohort_id: int | None = None,
) -> QuerySet[Response]:
    """Submitted responses the user may analyse, optionally narrowed to a site or a cohort:
    never those withdrawn from research."""
    responses = access.readable(user, Response.objects.analysable())
    if instrument is not None:
        responses = responses.filter(instrument=instrument)
    if site_id is not None:
        responses = responses.filter(site_id=site_id)
    if cohort_id is not None:
        responses = responses.filter(cohort_id=cohort_id)
    return responses


def withdrawn_participants_count(
    user: User,
    *,
    instrument: Instrument,
    site_id: int | None = None,
    cohort_id: int | None = None,
) -> int:
    """How many participants (code and cohort) in the user's scope and filters have answers
    left out because they withdrew their consent for research."""
    responses = access.readable(
        user,
        Response.objects.filter(
            instrument=instrument, status=Response.Status.SUBMITTED, withdrawn_at__isnull=False
        ),
    )
    if site_id is not None:
        responses = responses.filter(site_id=site_id)
    if cohort_id is not None:
        responses = responses.filter(cohort_id=cohort_id)
    return responses.values("research_code", "cohort_id").distinct().count()


def analytics_instruments(user: User) -> QuerySet[Instrument]:
    """Every instrument, annotated with ``n_submitted`` in the user's scope, most used first."""
    submitted = (
        Q(responses__status=Response.Status.SUBMITTED)
        & Q(responses__withdrawn_at__isnull=True)
        & access.read_filter(user, Response, through="responses")
    )
    return Instrument.objects.annotate(n_submitted=Count("responses", filter=submitted)).order_by(
        "-n_submitted", "code", "-imported_at"
    )


def analytics_sites(user: User) -> QuerySet[Site]:
    """The sites whose responses the user analyses."""
    return access.readable(user, Site)


def analytics_cohorts(user: User, *, instrument: Instrument) -> QuerySet[Cohort]:
    """Cohorts with submitted responses to the instrument inside the user's scope."""
    cohort_ids = submitted_responses(user, instrument=instrument).values("cohort_id")
    return (
        Cohort.objects.filter(pk__in=cohort_ids)
        .select_related("cem__site")
        .order_by("cem__site__name", "name", "pk")
    )


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    """One line of the table: a group's display name and its analysis.

    ``unscored_pre`` / ``unscored_post`` count responses that exist but have too few answers
    for a score (the 80 % rule); participants without a response in a wave are awaiting exit
    or attrition, not exclusions. ``None`` when the group is suppressed.
    """

    key: str
    name: str
    result: GroupResult
    unscored_pre: int | None
    unscored_post: int | None
    is_overall: bool = False

    @property
    def suppressed(self) -> bool:
        return self.result.suppressed


@dataclass(frozen=True)
class ItemRow:
    item: Item
    agreement: ItemAgreement


@dataclass(frozen=True)
class AnalyticsReport:
    instrument: Instrument
    subscale: Subscale | None
    grouping: Grouping
    n_participants: int
    n_pre: int
    n_post: int
    groups: list[GroupRow]
    overall: GroupRow | None
    items: list[ItemRow]
    k: int
    withdrawn: int = 0  # participants whose answers are left out: consent for research withdrawn
    method_p_adjust: str = METHOD_P_ADJUST
    min_cell: int = MIN_CELL

    @property
    def any_suppressed(self) -> bool:
        rows = [*self.groups, *([self.overall] if self.overall else [])]
        return any(
            r.suppressed or r.result.alpha_pre.suppressed or r.result.alpha_post.suppressed
            for r in rows
        ) or any(i.agreement.suppressed for i in self.items)


def _choice_label(choices, value: str) -> str:
    if not value:
        return _("Not recorded")
    return str(dict(choices).get(value, value))


def _group_labels(
    data: PairedData,
    grouping: Grouping,
    *,
    cohort_names: dict[int, str],
    site_names: dict[int, str],
) -> tuple[np.ndarray, dict[str, str]]:
    """Per participant a stable group key, and each key's display name."""
    if grouping == Grouping.COHORT:
        keys = [str(c) for c in data.cohort_id.tolist()]
        names = {k: cohort_names.get(int(k), k) for k in set(keys)}
    elif grouping == Grouping.SITE:
        keys = [str(s) for s in data.site_id.tolist()]
        names = {k: site_names.get(int(k), k) for k in set(keys)}
    elif grouping == Grouping.GENERATION:
        keys = [g or "" for g in data.generation.tolist()]
        names = {k: _choice_label(ParticipantProfile.Generation.choices, k) for k in set(keys)}
    else:
        keys = [s or "" for s in data.sex.tolist()]
        names = {k: _choice_label(ParticipantProfile.Sex.choices, k) for k in set(keys)}
    return np.array(keys, dtype=str), names


def _unscored(excluded: int | None, no_response: np.ndarray, members: np.ndarray) -> int | None:
    if excluded is None:
        return None
    return int(excluded - no_response[members].sum())


def analytics_report(
    *,
    instrument: Instrument,
    data: PairedData,
    subscale: Subscale | None,
    grouping: Grouping,
    items: Sequence[Item],
    cohort_names: dict[int, str],
    site_names: dict[int, str],
    withdrawn: int = 0,
) -> AnalyticsReport:
    """Change of one subscale (or of every scored item) by group, plus per-item agreement.

    ``items`` are the instrument's items (any order); only the scored items of the chosen
    subscale enter the matrices, as raw answers (reverse coding happens in the analysis).
    """
    key = data.key
    if subscale is None:
        positions = list(range(len(key.item_codes)))
    else:
        positions = list(key.subscales.get(subscale.code, ()))
    pre = data.pre[:, positions]
    post = data.post[:, positions]
    reverse = np.array([key.reverse[p] for p in positions], dtype=bool)
    options = {
        "reverse": reverse,
        "scale_min": instrument.scale_min,
        "scale_max": instrument.scale_max,
        "desired_change": instrument.desired_change,
        "exit_state": data.exit_state,
    }
    report_items = {item.code: item for item in items}
    codes = [key.item_codes[p] for p in positions]

    if data.n == 0 or not positions:
        return AnalyticsReport(
            instrument=instrument,
            subscale=subscale,
            grouping=grouping,
            n_participants=data.n,
            n_pre=int(data.has_pre.sum()),
            n_post=int(data.has_post.sum()),
            groups=[],
            overall=None,
            items=[],
            k=len(positions),
            withdrawn=withdrawn,
        )

    labels, names = _group_labels(data, grouping, cohort_names=cohort_names, site_names=site_names)
    no_pre = ~data.has_pre
    no_post = ~data.has_post
    results = analyse_groups(pre, post, labels, **options)
    groups = []
    for group_key, result in results.items():
        members = labels == group_key
        groups.append(
            GroupRow(
                key=group_key,
                name=names[group_key],
                result=result,
                unscored_pre=_unscored(result.excluded_pre, no_pre, members),
                unscored_post=_unscored(result.excluded_post, no_post, members),
            )
        )
    groups.sort(key=lambda row: (row.name.casefold(), row.key))

    everyone = np.ones(data.n, dtype=bool)
    overall_result = analyse_groups(pre, post, np.full(data.n, OVERALL), **options)[OVERALL]
    overall = GroupRow(
        key=OVERALL,
        name=_("All participants in scope"),
        result=overall_result,
        unscored_pre=_unscored(overall_result.excluded_pre, no_pre, everyone),
        unscored_post=_unscored(overall_result.excluded_post, no_post, everyone),
        is_overall=True,
    )

    agreement = item_agreement(pre, post, instrument.agree_values)
    item_rows = [
        ItemRow(item=report_items[codes[a.item]], agreement=a)
        for a in agreement
        if codes[a.item] in report_items
    ]
    return AnalyticsReport(
        instrument=instrument,
        subscale=subscale,
        grouping=grouping,
        n_participants=data.n,
        n_pre=int(data.has_pre.sum()),
        n_post=int(data.has_post.sum()),
        groups=groups,
        overall=overall,
        items=item_rows,
        k=len(positions),
        withdrawn=withdrawn,
    )


def analytics_report_for(
    user: User,
    *,
    instrument: Instrument,
    subscale: Subscale | None,
    grouping: Grouping,
    site_id: int | None = None,
    cohort_id: int | None = None,
    cohorts: Iterable[Cohort] = (),
    sites: Iterable[Site] = (),
) -> AnalyticsReport:
    """The report on the user's submitted responses (one query for all of them).

    ``cohorts`` and ``sites`` are the already-loaded objects that name the groups (from
    :func:`analytics_cohorts` / :func:`analytics_sites`), so naming costs no query per group.
    """
    key = ScoringKey.for_instrument(instrument)
    items = list(instrument.items.all())
    rows = response_rows(
        submitted_responses(user, instrument=instrument, site_id=site_id, cohort_id=cohort_id),
        key,
    )
    data = with_exit_states(paired_data(rows, key))
    return analytics_report(
        instrument=instrument,
        data=data,
        subscale=subscale,
        grouping=grouping,
        items=items,
        cohort_names=cohort_display_names(cohorts),
        site_names={s.pk: s.name for s in sites},
        withdrawn=withdrawn_participants_count(
            user, instrument=instrument, site_id=site_id, cohort_id=cohort_id
        ),
    )


def cohort_display_names(cohorts: Iterable[Cohort]) -> dict[int, str]:
    """Cohort names for the page, with the CEM when two cohorts share a name."""
    cohorts = list(cohorts)
    seen: dict[str, int] = {}
    for cohort in cohorts:
        seen[cohort.name] = seen.get(cohort.name, 0) + 1
    return {c.pk: f"{c.name} · {c.cem.name}" if seen[c.name] > 1 else c.name for c in cohorts}
