"""The results of a round, as one reader may see them (:mod:`lms.access`).

Figures (:mod:`courses.validation.figures`) come from the feedback the reader may add up;
comments, "what is missing", workshop notes and quotes only from what she may read one by one
(coordinators of the site, never accreditors), and only where the group of respondents behind
them is shown. Everything is read in a fixed number of queries, whatever the number of
participants: one for the answers, one for the feedback, three for the workshops.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Exists, OuterRef, QuerySet, TextField, Value, When

from assessments.analytics.suppression import is_shown
from courses.validation import figures
from courses.validation.figures import Grouping, HeatCell, ItemFigures
from courses.validation.models import (
    ValidationAnswer,
    ValidationFeedback,
    ValidationItem,
    ValidationRound,
    ValidationWorkshop,
    WorkshopAssessment,
)
from lms import access
from lms.models import ParticipantProfile

SEX_KEYS = tuple(ParticipantProfile.Sex.values)
GENERATION_KEYS = tuple(ParticipantProfile.Generation.values)


@dataclass(frozen=True)
class Comment:
    text: str
    descriptors: dict[Grouping, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemResult:
    item: ValidationItem
    figures: ItemFigures
    comments: list[Comment] | None  # None: not for this reader
    comments_withheld: bool  # comments exist, but their group of respondents is too small
    verdicts: dict[int, Counter]  # site id → workshop assessments
    quotes: list[Comment] | None
    notes: list[Comment] | None


@dataclass(frozen=True)
class WorkshopRow:
    workshop: ValidationWorkshop
    headcount: dict[tuple[str, str], int]
    readable: bool  # its notes and quotes are for this reader

    @property
    def total(self) -> int:
        return sum(self.headcount.values())


@dataclass(frozen=True)
class RoundResults:
    round: ValidationRound
    grouping: Grouping
    group_keys: tuple
    sites: list
    items: list[ItemResult]
    heat: dict[tuple[int, object], HeatCell]
    respondents: int
    paper: int
    missing: list[Comment] | None
    missing_withheld: bool
    workshops: list[WorkshopRow]
    feedback_by_group: Counter  # (site id, sex, generation) → people who gave feedback
    workshop_by_group: Counter  # (site id, sex, generation) → people counted in workshops
    reads_comments: bool


def _group_keys(grouping: Grouping, sites: list) -> tuple:
    if grouping == Grouping.SITE:
        return tuple(site.pk for site in sites)
    return SEX_KEYS if grouping == Grouping.SEX else GENERATION_KEYS


def _comments(texts, people) -> tuple[list[Comment] | None, bool]:
    """Comments of a group of `people` (site, sex, generation), each with the descriptors it
    may carry; none when the group has fewer than five people."""
    if not texts:
        return [], False
    if not is_shown(len(people)):
        return [], True
    respondents = figures.Respondents(people)
    out = [Comment(text, respondents.descriptors(person)) for person, text in texts]
    return sorted(out, key=lambda c: (c.text.casefold(), c.text)), False


def _exists(rows: QuerySet, outer: str):
    """Whether the outer row's `outer` is among `rows` (False outright when `rows` is empty)."""
    if rows.query.is_empty():
        return Value(False)
    return Exists(rows.filter(pk=OuterRef(outer)))


def round_results(
    round_: ValidationRound,
    *,
    grouping: Grouping,
    feedback: QuerySet[ValidationFeedback],
    readable_feedback: QuerySet[ValidationFeedback],
    workshops: QuerySet[ValidationWorkshop],
    readable_workshops: QuerySet[ValidationWorkshop],
    reads_comments: bool,
) -> RoundResults:
    """The results from the feedback and workshops given (already scoped)."""
    items = list(round_.items.all())
    sites = list(round_.sites.order_by("name"))
    keys = _group_keys(grouping, sites)
    may_read = _exists(readable_feedback, "feedback_id")
    answer_rows = list(
        ValidationAnswer.objects.filter(feedback__in=feedback)
        .annotate(
            has_comment=Case(When(comment="", then=Value(False)), default=Value(True)),
            readable_comment=Case(
                When(may_read, then="comment"), default=Value(""), output_field=TextField()
            ),
            readable=may_read,
        )
        .values_list(
            "item_id",
            "feedback__site_id",
            "feedback__sex",
            "feedback__generation",
            "clear",
            "relevant",
            "fits",
            "safe",
            "has_comment",
            "readable_comment",
            "readable",
        )
    )
    rows = [row[:9] for row in answer_rows]
    item_ids = [item.pk for item in items]
    by_item = figures.item_figures(rows, item_ids=item_ids, grouping=grouping, keys=keys)
    heat = figures.heat_cells(rows, item_ids=item_ids, sites=[site.pk for site in sites])

    readers: dict[int, list] = defaultdict(list)  # respondents whose comments may be read
    texts: dict[int, list] = defaultdict(list)
    for row in answer_rows:
        if row[10] and (any(v is not None for v in row[4:8]) or row[8]):
            readers[row[0]].append(row[1:4])
            if row[9]:
                texts[row[0]].append((row[1:4], row[9]))

    feedback_rows = list(
        feedback.annotate(
            readable_missing=Case(
                When(_exists(readable_feedback, "pk"), then="missing"),
                default=Value(""),
                output_field=TextField(),
            ),
            readable=_exists(readable_feedback, "pk"),
        ).values_list("site_id", "sex", "generation", "source", "readable_missing", "readable")
    )
    feedback_by_group = Counter(row[:3] for row in feedback_rows)
    missing_people = [row[:3] for row in feedback_rows if row[5]]
    missing_texts = [
        (row[:3], row[4].strip()) for row in feedback_rows if row[5] and row[4].strip()
    ]
    missing, missing_withheld = _comments(missing_texts, missing_people)

    readable_ids = set(readable_workshops.values_list("pk", flat=True))
    workshop_list = list(
        workshops.select_related("site", "cem").prefetch_related("headcounts", "assessments")
    )
    workshop_rows, workshop_by_group = [], Counter()
    verdicts: dict[int, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    quotes: dict[int, list[Comment]] = defaultdict(list)
    notes: dict[int, list[Comment]] = defaultdict(list)
    for workshop in workshop_list:
        headcount = {(h.sex, h.generation): h.count for h in workshop.headcounts.all()}
        for (sex, generation), n in headcount.items():
            workshop_by_group[(workshop.site_id, sex, generation)] += n
        row = WorkshopRow(workshop, headcount, readable=workshop.pk in readable_ids)
        workshop_rows.append(row)
        # The group's words are shown only when the group had at least five people.
        words = reads_comments and row.readable and is_shown(row.total)
        for assessment in workshop.assessments.all():
            if assessment.verdict:
                verdicts[assessment.item_id][workshop.site_id][assessment.verdict] += 1
            if words:
                site = {Grouping.SITE: workshop.site_id}
                quotes[assessment.item_id] += [Comment(q, site) for q in assessment.quote_lines()]
                if assessment.notes:
                    notes[assessment.item_id].append(Comment(assessment.notes, site))

    results = []
    for item in items:
        comments, withheld = _comments(texts[item.pk], readers[item.pk])
        results.append(
            ItemResult(
                item=item,
                figures=by_item[item.pk],
                comments=comments if reads_comments else None,
                comments_withheld=withheld and reads_comments,
                verdicts={site: verdicts[item.pk][site] for site in verdicts[item.pk]},
                quotes=quotes[item.pk] if reads_comments else None,
                notes=notes[item.pk] if reads_comments else None,
            )
        )
    return RoundResults(
        round=round_,
        grouping=grouping,
        group_keys=keys,
        sites=sites,
        items=results,
        heat=heat,
        respondents=len(feedback_rows),
        paper=sum(1 for row in feedback_rows if row[3] == ValidationFeedback.Source.PAPER),
        missing=missing if reads_comments else None,
        missing_withheld=missing_withheld and reads_comments,
        workshops=workshop_rows,
        feedback_by_group=feedback_by_group,
        workshop_by_group=workshop_by_group,
        reads_comments=reads_comments,
    )


def round_results_for(
    user: AbstractBaseUser, round_: ValidationRound, *, grouping: Grouping
) -> RoundResults:
    """The results as `user` may see them: figures from what she adds up, words from what she
    reads."""
    readable_feedback = access.readable(user, round_.feedback.all())
    return round_results(
        round_,
        grouping=grouping,
        feedback=access.in_figures(user, round_.feedback.all()),
        readable_feedback=readable_feedback,
        workshops=access.in_figures(user, round_.workshops.all()),
        readable_workshops=access.readable(user, round_.workshops.all()),
        reads_comments=access.has_any_role(user, access.COORDINATES),
    )


def round_results_whole(round_: ValidationRound, *, grouping: Grouping) -> RoundResults:
    """Every site's results, figures only (the command-line export)."""
    return round_results(
        round_,
        grouping=grouping,
        feedback=round_.feedback.all(),
        readable_feedback=ValidationFeedback.objects.none(),
        workshops=round_.workshops.all(),
        readable_workshops=ValidationWorkshop.objects.none(),
        reads_comments=False,
    )


VERDICTS = tuple(WorkshopAssessment.Verdict.values)
