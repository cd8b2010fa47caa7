"""Benchmark of the analytics page and the exports on the configured database, at scale.

Run from the project root, with the database of your choice::

    DATABASE_URL=postgres://… .venv/bin/python bench/analytics_db.py [--pairs 20000] [--keep]

Loads N participants who answered a 24-item instrument before and after (about 8 % without an
exit questionnaire), in cohorts of 40 spread over the three sites, half of them finished long
ago (their exit questionnaire closed: attrition) and half running (awaiting exit), into the
database ``DATABASE_URL`` names (migrated first; the demo course is seeded if missing). Then
times, through the Django test client signed in as a national coordinator,

* the analytics page end to end (the responses query, pairing, exit windows, statistics and
  the rendered template) grouped by site and by cohort, and the page a second time;
* each export: responses as CSV, SPSS and Stata, and the data dictionary;
* the coordinator's dashboard, first (the pre/post headline of the 20,000 pairs computed: the
  demo course asks the bench instrument while the benchmark runs) and again (cached),

and prints each time with the peak Python memory it allocated (tracemalloc) and the process's
maximum resident size. Targets on the 2-core development machine, PostgreSQL, 20,000 pairs:
page under 1.5 s, SPSS under 5 s. Removes what it loaded at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.analytics.cache import responses_changed  # noqa: E402
from assessments.instruments.files import instrument_import  # noqa: E402
from assessments.instruments.scoring import ScoringKey  # noqa: E402
from assessments.models import Instrument, Response  # noqa: E402
from courses.models import Cohort, CoursePage, SessionDelivery  # noqa: E402
from lms.models import CEM, Site  # noqa: E402

PREFIX = "bench-analytics"
COHORT_SIZE = 40
EXAMPLE = ROOT / "assessments/instruments/ejemplo_tolerancia.json"
ITEMS = 24


def bench_instrument() -> Instrument:
    """The example instrument's scale and subscales with 24 items (one filler among them)."""
    existing = Instrument.objects.filter(code=PREFIX).first()
    if existing:
        return existing
    data = json.loads(EXAMPLE.read_text())
    data["code"], data["version"] = PREFIX, "1"
    subscales = [s["code"] for s in data["subscales"]]
    template = data["items"][0]
    data["items"] = [
        template
        | {
            "code": f"b_{n:02d}",
            "order": n,
            "subscale": subscales[n % len(subscales)],
            "reverse": n % 5 == 4,
            "filler": False,
            "text": {"es": f"Afirmación de prueba {n}", "en": f"Test statement {n}"},
        }
        for n in range(1, ITEMS + 1)
    ]
    return instrument_import(json.dumps(data).encode())


def load(pairs: int, seed: int = 11) -> Instrument:
    rng = random.Random(seed)
    instrument = bench_instrument()
    key = ScoringKey.for_instrument(instrument)
    course = bench_course()
    sessions = list(course.sessions())
    sites = list(Site.objects.order_by("pk"))
    now = timezone.now()
    cohorts, responses = [], []
    with transaction.atomic():
        cems = {
            s.pk: CEM.objects.get_or_create(site=s, name=f"{PREFIX} {s.slug}")[0] for s in sites
        }
        for number in range((pairs + COHORT_SIZE - 1) // COHORT_SIZE):
            finished = number % 2 == 0
            start = timezone.localdate() - dt.timedelta(days=300 if finished else 30)
            cohorts.append(
                Cohort(
                    course=course,
                    cem=cems[sites[number % len(sites)].pk],
                    name=f"{PREFIX} {number:04d}",
                    start_date=start,
                    end_date=start + dt.timedelta(days=7 * len(sessions)),
                    status=Cohort.Status.CLOSED if finished else Cohort.Status.RUNNING,
                )
            )
        Cohort.objects.bulk_create(cohorts)
        deliveries = []
        for cohort in cohorts:
            finished = cohort.status == Cohort.Status.CLOSED
            first = now - dt.timedelta(days=300 if finished else 30)
            for position, session in enumerate(sessions):
                at = first + dt.timedelta(days=7 * position)
                held = finished or at < now
                deliveries.append(
                    SessionDelivery(
                        cohort=cohort,
                        session=session,
                        scheduled_at=at,
                        status=SessionDelivery.Status.HELD if held else "scheduled",
                    )
                )
        SessionDelivery.objects.bulk_create(deliveries, batch_size=2000)
        for person in range(pairs):
            cohort = cohorts[person // COHORT_SIZE]
            level = rng.gauss(3.2, 0.7)
            sex, generation = rng.choice("FFFM"), rng.choice(["20-29", "35-50", "other"])
            for wave, shift in (("pre", 0.0), ("post", -0.4)):
                if wave == "post" and rng.random() < 0.08:
                    continue
                answers = {}
                for code in key.item_codes:
                    roll = rng.random()
                    if roll < 0.03:
                        continue
                    answers[code] = (
                        None
                        if roll < 0.04
                        else min(5, max(1, round(level + shift + rng.gauss(0, 0.8))))
                    )
                responses.append(
                    Response(
                        research_code=f"B{person:07d}",
                        instrument=instrument,
                        cohort=cohort,
                        site_id=cohort.cem.site_id,
                        wave=wave,
                        sex=sex,
                        generation=generation,
                        status=Response.Status.SUBMITTED,
                        answers=answers,
                        scores=key.scores(answers),
                        scoring_key_version=key.version,
                        submitted_at=now,
                    )
                )
        Response.objects.bulk_create(responses, batch_size=2000)
    return instrument


def responses_changed_now() -> None:
    """As after a submission: the cached headline is computed again on the next visit."""
    with transaction.atomic():
        responses_changed()


def bench_course() -> CoursePage:
    """The demo course the cohorts follow (the one with questionnaires)."""
    return CoursePage.objects.filter(pre_instrument__isnull=False).order_by("pk").first()


def ask_bench_instrument(course: CoursePage, instrument: Instrument | None) -> tuple:
    """Let the course ask `instrument` before and after (the coordinator's headline covers the
    instruments of the courses in scope); returns what it asked before, to put back."""
    before = (course.pre_instrument_id, course.post_instrument_id)
    if instrument is not None:
        CoursePage.objects.filter(pk=course.pk).update(
            pre_instrument=instrument, post_instrument=instrument
        )
    return before


def unload() -> None:
    with transaction.atomic():
        cohorts = Cohort.objects.filter(name__startswith=PREFIX)
        Response.objects.filter(cohort__in=cohorts).delete()
        SessionDelivery.objects.filter(cohort__in=cohorts).delete()
        cohorts.delete()
        CEM.objects.filter(name__startswith=PREFIX).delete()


def measure(label: str, fn, target: float | None = None, *, traced: bool = True):
    """Best of two timed runs, then one run under tracemalloc (which slows Python down) for the
    peak memory; `traced` False for what must run once (a cache filled by the first run)."""
    times = []
    for _ in range(2 if traced else 1):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    seconds = min(times)
    memory = ""
    if traced:
        tracemalloc.start()
        fn()
        memory = f"peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MiB"
        tracemalloc.stop()
    verdict = ""
    if target is not None:
        verdict = f"  (target < {target:.1f} s: {'met' if seconds < target else 'MISSED'})"
    print(f"{label:<44} {seconds:7.2f} s   {memory}{verdict}")
    return result


def get(client: Client, path: str, **params) -> bytes:
    response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="Leave the loaded data in place.")
    args = parser.parse_args()
    settings.DEBUG = False  # no query log growing with the run
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Every visit computes its page: no whole page replayed from the session's cache.
    settings.SESSION_PAGE_CACHE_ROUTES = frozenset()
    call_command("migrate", verbosity=0)
    if not CoursePage.objects.exists():
        call_command("seed_demo", verbosity=0)
    vendor = connection.vendor
    unload()
    started = time.perf_counter()
    instrument = load(args.pairs)
    course = bench_course()
    asked_before = ask_bench_instrument(course, instrument)
    rows = Response.objects.filter(instrument=instrument).count()
    print(
        f"database: {vendor}; loaded {args.pairs} participants, {rows} responses "
        f"× {ITEMS} items in {time.perf_counter() - started:.1f} s"
    )
    national = User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin")
    client = Client()
    client.force_login(national)
    page = "/analitica/"
    try:
        get(client, page)  # a server process is warm: modules imported, templates compiled
        for grouping in ("site", "cohort", "sex"):
            measure(
                f"analytics page, by {grouping}",
                lambda g=grouping: get(client, page, instrument=instrument.pk, group=g),
                target=1.5,
            )
        for name, path, target in (
            ("export responses CSV", "/analitica/exportar/respuestas.csv", None),
            ("export responses SPSS (.sav)", "/analitica/exportar/respuestas.sav", 5.0),
            ("export responses Stata (.dta)", "/analitica/exportar/respuestas.dta", None),
            ("export data dictionary", "/analitica/exportar/diccionario.csv", None),
        ):
            data = measure(name, lambda p=path: get(client, p, instrument=instrument.pk), target)
            print(f"{'':<44} {len(data) / 2**20:7.1f} MiB written")
        responses_changed_now()
        measure(
            "coordinator dashboard, headline computed", lambda: get(client, "/panel/"), traced=False
        )
        measure("coordinator dashboard, headline cached", lambda: get(client, "/panel/"))
    finally:
        CoursePage.objects.filter(pk=course.pk).update(
            pre_instrument_id=asked_before[0], post_instrument_id=asked_before[1]
        )
        if not args.keep:
            unload()
    resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident size of the process: {resident:.0f} MiB")


if __name__ == "__main__":
    main()
