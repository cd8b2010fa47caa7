"""Display of the validation results: numbers as text ("—" where suppressed), group and
descriptor labels, the tables of people by site, sex and generation, and the heat map.

Nothing here reads the database: it formats what :mod:`courses.validation.results` computed,
for the results page and the PDF report alike."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.analytics import charts
from courses.validation.figures import GroupFigures, Grouping
from courses.validation.models import RATINGS, SCALE_MAX, SCALE_MIN, WorkshopAssessment
from courses.validation.results import Comment, RoundResults
from lms.models import ParticipantProfile

SUPPRESSED = "—"
SEXES = ParticipantProfile.Sex.choices
GENERATIONS = ParticipantProfile.Generation.choices
VERDICT_LABELS = dict(WorkshopAssessment.Verdict.choices)


def mean_text(value: float | None) -> str:
    return SUPPRESSED if value is None else number_format(value, 1)


def share_text(value: float | None) -> str:
    return SUPPRESSED if value is None else f"{number_format(value, 0)} %"


def count_text(value: int | None) -> str:
    return SUPPRESSED if value is None else str(value)


def labeller(results: RoundResults):
    """key → label, for each grouping."""
    sites = {site.pk: site.name for site in results.sites}
    sexes, generations = dict(SEXES), dict(GENERATIONS)

    def label(grouping: Grouping, key) -> str:
        if key in (None, ""):
            return _("Not recorded")
        names = {Grouping.SITE: sites, Grouping.SEX: sexes, Grouping.GENERATION: generations}
        return str(names[grouping].get(key, key))

    return label


def grouping_label(grouping: Grouping) -> str:
    return {
        Grouping.SITE: _("Site"),
        Grouping.SEX: _("Sex"),
        Grouping.GENERATION: _("Generation"),
    }[grouping]


@dataclass(frozen=True)
class FigureRow:
    label: str
    respondents: str
    cells: list[tuple[str, str]]  # (mean, share 4–5) per rating
    overall: bool = False
    suppressed: bool = False


def _row(label: str, group: GroupFigures, overall: bool = False) -> FigureRow:
    return FigureRow(
        label=label,
        respondents=count_text(group.respondents),
        cells=[(mean_text(c.mean), share_text(c.share_high)) for c in group.cells],
        overall=overall,
        suppressed=group.suppressed,
    )


def comment_display(comment: Comment, label) -> dict:
    return {
        "text": comment.text,
        "about": " · ".join(
            label(g, comment.descriptors[g]) for g in Grouping if g in comment.descriptors
        ),
    }


def verdicts_text(counts: Counter) -> str:
    return " · ".join(f"{VERDICT_LABELS[v]}: {counts[v]}" for v in VERDICT_LABELS if counts.get(v))


def results_display(results: RoundResults) -> dict:
    label = labeller(results)
    items = []
    for item_result in results.items:
        f = item_result.figures
        rows = [_row(_("All"), f.overall, overall=True)]
        rows += [_row(label(results.grouping, g.key), g) for g in f.groups]
        items.append(
            {
                "item": item_result.item,
                "rows": rows,
                "verdicts": [
                    (site.name, verdicts_text(item_result.verdicts.get(site.pk, Counter())))
                    for site in results.sites
                ],
                "comments": None
                if item_result.comments is None
                else [comment_display(c, label) for c in item_result.comments],
                "comments_withheld": item_result.comments_withheld,
                "quotes": None
                if item_result.quotes is None
                else [comment_display(c, label) for c in item_result.quotes],
                "notes": None
                if item_result.notes is None
                else [comment_display(c, label) for c in item_result.notes],
            }
        )
    return {
        "ratings": [str(text) for _code, text in RATINGS],
        "grouping_label": grouping_label(results.grouping),
        "items": items,
        "heat_map": heat_map(results),
        "missing": None
        if results.missing is None
        else [comment_display(c, label) for c in results.missing],
        "feedback_people": people_table(results.feedback_by_group, results.sites),
        "workshop_people": people_table(results.workshop_by_group, results.sites),
        "workshops": [
            {
                "row": row,
                "site": row.workshop.site.name,
                "headcount": headcount_text(row.headcount),
            }
            for row in results.workshops
        ],
    }


def headcount_text(headcount: dict[tuple[str, str], int]) -> str:
    sexes, generations = dict(SEXES), dict(GENERATIONS)
    return " · ".join(
        f"{sexes[sex]} {generations[g]}: {n}" for (sex, g), n in sorted(headcount.items()) if n
    )


@dataclass(frozen=True)
class PeopleTable:
    """People by site (rows) and sex × generation (columns), with totals."""

    columns: list[str]
    rows: list[tuple[str, list[int], int]]
    totals: list[int]
    total: int


def people_table(counts: Counter, sites) -> PeopleTable:
    groups = [(s, g) for s, _l in SEXES for g, _m in GENERATIONS]
    sexes, generations = dict(SEXES), dict(GENERATIONS)
    rows = []
    for site in sites:
        values = [counts.get((site.pk, s, g), 0) for s, g in groups]
        rows.append((site.name, values, sum(values)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(groups))]
    keep = [i for i, t in enumerate(totals) if t]  # columns nobody is in are left out
    return PeopleTable(
        columns=[f"{sexes[groups[i][0]]}, {generations[groups[i][1]]}" for i in keep],
        rows=[(name, [values[i] for i in keep], total) for name, values, total in rows],
        totals=[totals[i] for i in keep],
        total=sum(totals),
    )


def heat_map(results: RoundResults):
    points = []
    for item_result in results.items:
        row = []
        for site in results.sites:
            cell = results.heat[(item_result.item.pk, site.pk)]
            detail = (
                _("%(item)s at %(site)s: too few people to show")
                if cell.suppressed
                else _("%(item)s at %(site)s: mean %(mean)s (%(n)s people)")
            ) % {
                "item": item_result.item.title,
                "site": site.name,
                "mean": mean_text(cell.mean),
                "n": cell.n,
            }
            row.append(charts.HeatPoint(cell.mean, mean_text(cell.mean), detail))
        points.append(row)
    return charts.heat_map(
        [r.item.title for r in results.items],
        [site.name for site in results.sites],
        points,
        low=SCALE_MIN,
        high=SCALE_MAX,
        chart_id="heat-map",
        title=_("Mean rating of each session or concept, by site"),
        empty_label=SUPPRESSED,
    )
