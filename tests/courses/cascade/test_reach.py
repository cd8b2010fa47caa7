"""The reach dashboard's figures against a hand count on the demo, its scope per role, its
suppression of small cells, and its queries, which do not grow with the replica sessions."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from courses.cascade.bands import CELLS
from courses.cascade.reach import reach_for
from courses.cascade.services import replica_record, replica_verify
from courses.models import ReplicaSession
from lms.roles import Role
from tests.factories import person, site
from tests.helpers import replica_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def hand_count(site_slug: str | None, today: dt.date) -> dict:
    verified = [
        r
        for r in ReplicaSession.objects.select_related("group__cem__site", "group__district")
        if r.status == "verified" and (site_slug is None or r.group.cem.site.slug == site_slug)
    ]
    ends: dict[int, list[dt.date]] = defaultdict(list)
    for certificate in Certificate.objects.filter(status="valid").select_related(
        "enrollment__cohort__cem__site"
    ):
        if site_slug and certificate.enrollment.cohort.cem.site.slug != site_slug:
            continue
        ends[certificate.enrollment.activist_id].append(certificate.cohort_end)
    certified = dict(ends)
    active = sum(
        1
        for person_id, person_ends in certified.items()
        if any(
            r.group.activist_id == person_id and end <= r.held_on <= end + dt.timedelta(days=90)
            for r in verified
            for end in person_ends
        )
    )
    by_district = Counter()
    for r in verified:
        by_district[r.group.district.ubigeo] += 1
    reached = defaultdict(int)
    for r in verified:
        for cell in CELLS:
            reached[(cell.sex, cell.band)] += getattr(r, cell.first_field)
    return {
        "sessions": len(verified),
        "reached": sum(r.first_timers for r in verified),
        "participants": sum(r.participants for r in verified),
        "groups": len({r.group_id for r in verified if r.held_on >= today - dt.timedelta(days=90)}),
        "certified": len(certified),
        "active": active,
        "by_district": dict(by_district),
        "cells": dict(reached),
    }


@pytest.mark.parametrize("scope", [None, "arequipa"])
def test_the_figures_match_a_hand_count_on_the_demo(demo, scope):
    today = timezone.localdate()
    viewer = person(Role.COORDINATOR, site_=site(scope) if scope else None)
    reach = reach_for(viewer, today=today)
    expected = hand_count(scope, today)
    assert expected["sessions"] > 10  # the demo gives real figures
    assert reach.total.sessions == expected["sessions"]
    assert reach.total.reached == expected["reached"]
    assert reach.total.participants == expected["participants"]
    assert reach.total.groups == expected["groups"]
    assert (reach.certified, reach.certified_active) == (expected["certified"], expected["active"])
    shown = {row.detail.split(" · ")[0]: row.tally.sessions for row in reach.by_district}
    assert shown == expected["by_district"]
    for cell in reach.by_cell:
        if cell.reached is not None:
            assert cell.reached == expected["cells"][(cell.sex, cell.band)]
    assert sum(row.tally.sessions for row in reach.by_month) <= expected["sessions"]
    if scope:
        assert {row.label for row in reach.by_site} == {"Arequipa"}


def test_an_accreditor_reads_every_site_and_a_trainer_nothing(demo):
    today = timezone.localdate()
    everything = reach_for(person(Role.ACCREDITOR), today=today)
    assert everything.total.sessions == hand_count(None, today)["sessions"]
    assert len(everything.by_site) == 3
    nothing = reach_for(person(Role.TRAINER), today=today)
    assert nothing.total.sessions == 0 and nothing.certified == 0


def test_small_cells_are_suppressed(group, cohort_setup, site_coordinator):
    replica = replica_record(
        actor=group.activist,
        group=group,
        data=replica_input(
            cohort_setup["sessions"],
            counts={"first_women_18_29": 3, "first_men_18_29": 1, "women_18_29": 3, "men_18_29": 1},
        ),
    ).replica
    replica_verify(actor=cohort_setup["trainer"], replica=replica)
    reach = reach_for(site_coordinator, today=timezone.localdate())
    assert reach.total.sessions == 1
    assert not reach.total.shown  # 4 people reached
    assert {
        c.reached for c in reach.by_cell if (c.sex, c.band) in {("F", "18_29"), ("M", "18_29")}
    } == {None}
    assert not reach.certified_shown and reach.active_share is None  # one certified activist


def test_the_queries_do_not_grow_with_the_replica_sessions(group, cohort_setup, site_coordinator):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reach_for(site_coordinator, today=timezone.localdate())
        return len(captured)

    def add(count: int) -> None:
        for index in range(count):
            replica = replica_record(
                actor=group.activist,
                group=group,
                data=replica_input(cohort_setup["sessions"], days_ago=1 + index * 9),
            ).replica
            replica_verify(actor=cohort_setup["trainer"], replica=replica)

    add(1)
    queries()  # the coordinator's roles are read once per request
    few = queries()
    assert few <= 8
    add(12)
    assert queries() == few
