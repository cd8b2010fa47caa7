"""Benchmark of the cascade's reach dashboard on a large programme, on SQLite.

Run from the project root::

    .venv/bin/python bench/cascade.py [--trainers 2000] [--replicas 50000] [--repeat 5]

Builds, in a fresh SQLite file with bulk inserts, `trainers` certified activists over the
three sites (each with a certificate and a community group) and `replicas` replica sessions
among them over the last eighteen months (four in five verified), then times, for a national
coordinator, the figures alone (``reach_for``) and the whole page (figures, SVG and templates
through the test client), and prints the queries of each, against the target of 0.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import uuid

from scratch import scratch_django

WORKDIR = scratch_django("cem-bench-cascade-")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from certificates.models import Certificate  # noqa: E402
from courses.cascade.bands import CELLS  # noqa: E402
from courses.cascade.reach import reach_for  # noqa: E402
from courses.models import CommunityGroup, District, Enrollment, ReplicaSession  # noqa: E402
from lms.models import CEM, ParticipantProfile, Site  # noqa: E402
from lms.roles import Role  # noqa: E402
from tests.factories import (  # noqa: E402
    CohortFactory,
    CoursePageFactory,
    CurriculumIndexPageFactory,
    HomePageFactory,
    person,
)


@transaction.atomic
def build(*, trainers: int, replicas: int, rng: random.Random) -> None:
    home = HomePageFactory(parent=Page.get_first_root_node())
    course = CoursePageFactory(parent=CurriculumIndexPageFactory(parent=home))
    sites = list(Site.objects.order_by("pk"))
    cems = [CEM.objects.create(site=s, name=f"CEM {s.name} {n}") for s in sites for n in (1, 2)]
    cohorts = {cem.pk: CohortFactory(course=course, cem=cem) for cem in cems}
    activist_role = Group.objects.get(name=Role.ACTIVIST)
    users = User.objects.bulk_create(
        [User(username=f"act{i:05d}", first_name="A", last_name=str(i)) for i in range(trainers)]
    )
    activist_role.user_set.add(*users)
    placed = [(user, cems[i % len(cems)]) for i, user in enumerate(users)]
    ParticipantProfile.objects.bulk_create(
        [
            ParticipantProfile(user=u, cem=c, site=c.site, sex="F", participant_code=f"P{u.pk:07d}")
            for u, c in placed
        ]
    )
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                cohort=cohorts[c.pk],
                activist=u,
                enrolled_on=now.date(),
                consent_version="1",
                consent_given_at=now,
                consent_method="written",
                roster_number=i + 1,
                status="completed",
            )
            for i, (u, c) in enumerate(placed)
        ]
    )
    ended = now.date() - dt.timedelta(days=540)
    Certificate.objects.bulk_create(
        [
            Certificate(
                enrollment=e,
                code=f"BENCH-{e.pk:08d}",
                full_name="A",
                participant_code="P",
                course_title="C",
                course_code="C",
                curriculum_version="1",
                credit_hours=1,
                accrediting_institution="U",
                issuer="I",
                site_name="S",
                cem_name="C",
                cohort_start=ended - dt.timedelta(days=60),
                cohort_end=ended + dt.timedelta(days=rng.randint(0, 300)),
                issued_on=now.date(),
            )
            for e in enrollments
        ]
    )
    districts = {s.pk: list(District.objects.filter(site=s)[:12]) for s in sites}
    groups = CommunityGroup.objects.bulk_create(
        [
            CommunityGroup(
                activist=u,
                name=f"Grupo {u.pk}",
                kind="men",
                district=rng.choice(districts[c.site_id]),
                cem=c,
                course=course,
                start_date=ended,
            )
            for u, c in placed
        ]
    )
    rows = []
    for n in range(replicas):
        group = groups[n % len(groups)]
        counts = {}
        for cell in CELLS:
            total = rng.randint(0, 4)
            counts[cell.field], counts[cell.first_field] = total, rng.randint(0, total)
        rows.append(
            ReplicaSession(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                group=group,
                reported_by_id=group.activist_id,
                held_on=now.date() - dt.timedelta(days=rng.randint(0, 540)),
                duration_minutes=90,
                place="Local",
                status="verified" if rng.random() < 0.8 else "pending",
                content_digest="bench",
                **counts,
            )
        )
    ReplicaSession.objects.bulk_create(rows, batch_size=2000)


def timed(work, repeat: int) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainers", type=int, default=2000)
    parser.add_argument("--replicas", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build(trainers=args.trainers, replicas=args.replicas, rng=random.Random(13))
    print(
        f"built {args.trainers} certified activists and {args.replicas} replica sessions "
        f"in {time.perf_counter() - started:.1f} s ({WORKDIR / 'bench.sqlite3'})"
    )
    coordinator = person(Role.COORDINATOR)
    today = timezone.localdate()
    reach_for(coordinator, today=today)  # roles cached, SQLite's pages warm
    seconds, queries = timed(lambda: reach_for(coordinator, today=today), args.repeat)
    figures = reach_for(coordinator, today=today)
    print(
        f"reach figures: {seconds * 1000:.0f} ms median of {args.repeat}, {queries} queries "
        f"({figures.total.sessions} verified sessions, {figures.total.reached} people reached, "
        f"{figures.certified} certified, {len(figures.by_district)} districts)"
    )
    client = Client()
    client.force_login(coordinator)
    url = reverse("cascade:reach")
    client.get(url)
    seconds_page, queries_page = timed(lambda: client.get(url), args.repeat)
    verdict = "within" if seconds_page < 0.5 else "OVER"
    print(
        f"reach page (figures, SVG, templates, session and user lookups): "
        f"{seconds_page * 1000:.0f} ms median, {queries_page} queries: {verdict} the 0.5 s target"
    )


if __name__ == "__main__":
    main()
