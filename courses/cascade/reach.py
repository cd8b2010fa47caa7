"""The cascade's reach, as coordinators (their site, or all) and accreditors (all, reading only)
see it. Only verified replica sessions count.

Read in a fixed number of queries whatever the number of replica sessions: certified activists
(one query), those of them who ran a verified session within :data:`ACTIVE_WINDOW` days of the
end of a training that certified them (one join), verified sessions summed
per CEM × district × month (one query), groups active in the last :data:`ACTIVE_WINDOW` days
per CEM × district (one query), and the names of the sites, CEMs and districts seen (three).
Everything else is added up in Python from those rows, which grow with places and months, not
with sessions.

Figures that describe people (certified activists, people reached) go through the shared
small-cell suppression (:mod:`assessments.analytics.suppression`); counts of sessions and groups
describe no one and are always shown."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField, Count, F, Min, Sum
from django.db.models.functions import Cast, Substr

from assessments.analytics.suppression import is_shown, suppressed_cells
from certificates.models import Certificate
from courses.cascade.bands import CELLS, FIRST_FIELDS
from courses.models import District, ReplicaSession
from lms import access
from lms.models import CEM, Site

#: Days after certification, and before today for "active" groups.
ACTIVE_WINDOW = 90
MONTHS = 12


@dataclass
class Tally:
    """Verified sessions and the people they reached in one place or month."""

    sessions: int = 0
    participants: int = 0
    reached: int = 0  # first-time participants
    groups: int = 0  # active in the last 90 days (places only)
    shown: bool = True  # False: `reached` and `participants` describe too few people

    def add(self, other: Tally) -> None:
        self.sessions += other.sessions
        self.participants += other.participants
        self.reached += other.reached
        self.groups += other.groups


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    detail: str
    tally: Tally


@dataclass(frozen=True)
class ReachCell:
    sex: str
    band: str
    reached: int | None  # None: suppressed


@dataclass
class Reach:
    site: Site | None  # the site chosen, None for every site in scope
    sites: list[Site]  # the sites the user may choose among
    today: dt.date
    certified: int
    certified_active: int  # of them, with a verified session within 90 days
    certified_shown: bool
    total: Tally
    by_cell: list[ReachCell]
    by_site: list[Row] = field(default_factory=list)
    by_cem: list[Row] = field(default_factory=list)
    by_district: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)

    @property
    def active_share(self) -> float | None:
        if not self.certified_shown or not self.certified:
            return None
        return 100.0 * self.certified_active / self.certified


def _months(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _hidden(sizes: dict) -> set:
    """The shared suppression over the cells that count someone: a cell of nobody tells
    nothing about anyone and shows its 0."""
    return suppressed_cells({key: size for key, size in sizes.items() if size})


def _rows(tallies: dict, labels: dict, details: dict | None = None) -> list[Row]:
    """Rows sorted by label, people suppressed across the grouping (complementary too)."""
    hidden = _hidden({key: t.reached for key, t in tallies.items()})
    rows = []
    for key, tally in tallies.items():
        tally.shown = key not in hidden
        rows.append(Row(key, labels.get(key, "—"), (details or {}).get(key, ""), tally))
    return sorted(rows, key=lambda row: (row.label.casefold(), str(row.key)))


def reach_for(user: AbstractBaseUser, *, site_id: int | None = None, today: dt.date) -> Reach:
    """The reach in the user's scope (a site of it, when `site_id` is one)."""
    sites = list(access.in_figures(user, Site).order_by("name"))
    site = next((s for s in sites if s.pk == site_id), None)
    replicas = access.in_figures(user, ReplicaSession).filter(status=ReplicaSession.Status.VERIFIED)
    certificates = access.in_figures(user, Certificate).filter(status=Certificate.Status.VALID)
    if site is not None:
        replicas = replicas.filter(group__cem__site=site)
        certificates = certificates.filter(enrollment__cohort__cem__site=site)

    # 1. Certified activists, and which of them ran a verified session within 90 days of the
    #    end of a training that certified them: the first session after each such end, one
    #    grouped join (no subquery per activist, no date arithmetic for SQLite to call).
    certified_ids = set(
        certificates.order_by().values_list("enrollment__activist_id", flat=True).distinct()
    )
    ended = "group__activist__enrollments__certificates__cohort_end"
    active_ids = {
        person_id
        for person_id, end, first in replicas.filter(
            group__activist__enrollments__certificates__status=Certificate.Status.VALID,
            held_on__gte=F(ended),
        )
        .order_by()
        .values_list("group__activist_id", ended)
        .annotate(first=Min("held_on"))
        if first <= end + dt.timedelta(days=ACTIVE_WINDOW)
    }
    certified = len(certified_ids)
    certified_active = len(certified_ids & active_ids)

    # 2. Verified sessions per CEM × district × month.
    sums = {name: Sum(name) for name in FIRST_FIELDS}
    places: dict[tuple[int, int], Tally] = defaultdict(Tally)
    months: dict[dt.date, Tally] = {month: Tally() for month in _months(today)}
    cells = dict.fromkeys(FIRST_FIELDS, 0)
    participants_fields = [c.field for c in CELLS]
    for item in (
        # The month as "YYYY-MM" text: the same on SQLite and PostgreSQL, and no function
        # written in Python for SQLite to call on every row.
        replicas.annotate(month=Substr(Cast("held_on", CharField()), 1, 7))
        .order_by()
        .values("group__cem_id", "group__district_id", "month")
        .annotate(
            sessions=Count("pk"),
            participants=Sum(reduce(operator.add, (F(name) for name in participants_fields))),
            **sums,
        )
    ):
        reached = sum(item[name] or 0 for name in FIRST_FIELDS)
        tally = Tally(
            sessions=item["sessions"], participants=item["participants"] or 0, reached=reached
        )
        places[(item["group__cem_id"], item["group__district_id"])].add(tally)
        month = dt.date(int(item["month"][:4]), int(item["month"][5:7]), 1)
        if month in months:
            months[month].add(tally)
        for name in FIRST_FIELDS:
            cells[name] += item[name] or 0

    # 3. Groups with a verified session in the last 90 days, per CEM × district.
    since = today - dt.timedelta(days=ACTIVE_WINDOW)
    for item in (
        replicas.filter(held_on__gte=since)
        .order_by()
        .values("group__cem_id", "group__district_id")
        .annotate(groups=Count("group_id", distinct=True))
    ):
        places[(item["group__cem_id"], item["group__district_id"])].groups += item["groups"]

    # 4. Names of what was seen.
    cem_ids = {cem for cem, _district in places}
    cems = {c.pk: c for c in CEM.objects.filter(pk__in=cem_ids).select_related("site")}
    districts = {d.pk: d for d in District.objects.filter(pk__in={d for _cem, d in places})}
    total, by_site, by_cem, by_district = Tally(), defaultdict(Tally), defaultdict(Tally), {}
    for (cem_id, district_id), tally in places.items():
        total.add(tally)
        by_site[cems[cem_id].site_id].add(tally)
        by_cem[cem_id].add(tally)
        by_district.setdefault(district_id, Tally()).add(tally)
    total.shown = is_shown(total.reached)
    hidden_cells = _hidden(cells)
    hidden_months = _hidden({month: tally.reached for month, tally in months.items()})
    for month, tally in months.items():
        tally.shown = month not in hidden_months
    site_names = {s.pk: s.name for s in sites}
    return Reach(
        site=site,
        sites=sites,
        today=today,
        certified=certified,
        certified_active=certified_active,
        certified_shown=is_shown(certified),
        total=total,
        by_cell=[
            ReachCell(
                c.sex, c.band, None if c.first_field in hidden_cells else cells[c.first_field]
            )
            for c in CELLS
        ],
        by_site=_rows(dict(by_site), site_names),
        by_cem=_rows(
            dict(by_cem),
            {pk: c.name for pk, c in cems.items()},
            {pk: c.site.name for pk, c in cems.items()},
        ),
        by_district=_rows(
            by_district,
            {pk: d.name for pk, d in districts.items()},
            {pk: f"{d.ubigeo} · {d.province}" for pk, d in districts.items()},
        ),
        by_month=[
            Row(month, month.strftime("%Y-%m"), "", tally) for month, tally in months.items()
        ],
    )
