"""A device's outbox synced through the JSON endpoint: 200 sheets of 40 people each.

Run from the project root::

    .venv/bin/python bench/offline_sync.py [--sheets 200] [--people 40]

Builds a throwaway SQLite database in a temporary folder, a trainer with five groups and a
past session for every sheet, then posts each sheet as the device does (signed in, CSRF token,
JSON) through Django's full request path. Prints sheets/s and queries per sheet for new sheets
and for the same sheets sent again ("already received"), the queries per sheet at a quarter
and at twice the roster size (they must not change), and, as the baseline measured in the same
run, the same sheets saved through the attendance screen's form.
"""

import argparse
import datetime as dt
import json
import time
import uuid

from scratch import scratch_django

WORKDIR = scratch_django("cem-bench-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from courses.models import AttendanceRecord  # noqa: E402
from lms.roles import Role  # noqa: E402
from tests.factories import (  # noqa: E402
    CEMFactory,
    CohortFactory,
    CoursePageFactory,
    CurriculumIndexPageFactory,
    EnrollmentFactory,
    HomePageFactory,
    SessionDeliveryFactory,
    SessionPageFactory,
    person,
    site,
)

GROUPS = 5


def build(*, sheets: int, people: int, trainer, sessions, label: str):
    """`sheets` past sessions spread over GROUPS cohorts of `people` activists each."""
    per_group = -(-sheets // GROUPS)
    cem = CEMFactory(site=site(), name=f"CEM {label}")
    deliveries = []
    for _ in range(GROUPS):
        cohort = CohortFactory(
            course=sessions[0].get_parent().specific, cem=cem, trainers=[trainer]
        )
        enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(people)]
        for position, session in enumerate(sessions[:per_group]):
            delivery = SessionDeliveryFactory(
                cohort=cohort,
                session=session,
                scheduled_at=timezone.now() - dt.timedelta(days=per_group - position),
            )
            deliveries.append((cohort, delivery, enrollments))
    return deliveries[:sheets]


def device_sheet(trainer, delivery, enrollments) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "recorded_by": trainer.pk,
        "origin": "device",
        "device_time": (delivery.scheduled_at + dt.timedelta(hours=2)).isoformat(),
        "seen_at": (delivery.scheduled_at - dt.timedelta(days=1)).isoformat(),
        "marks": [
            {"enrollment": e.pk, "uuid": str(uuid.uuid4()), "status": "A" if i % 7 == 0 else "P"}
            for i, e in enumerate(enrollments)
        ],
    }


def signed_in(trainer) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return client, _mask_cipher_secret(secret)


def sync(client, token, batch, sheets) -> tuple[float, list[int], set[int]]:
    """Post every sheet once; (seconds, queries of each request, statuses answered)."""
    queries, statuses = [], set()
    started = time.perf_counter()
    for (cohort, delivery, _), sheet in zip(batch, sheets, strict=True):
        connection.queries_log.clear()  # a full log would count nothing
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                reverse("courses:attendance_sync", args=[cohort.pk, delivery.pk]),
                json.dumps(sheet),
                content_type="application/json",
                headers={"Accept": "application/json", "X-CSRFToken": token},
            )
        statuses.add(response.status_code)
        queries.append(len(captured))
    return time.perf_counter() - started, queries, statuses


def screen(client, token, batch) -> tuple[float, list[int]]:
    """The baseline: the same sheets posted through the attendance screen's form."""
    queries = []
    started = time.perf_counter()
    for cohort, delivery, enrollments in batch:
        data = {f"status-{e.pk}": "A" if i % 7 == 0 else "P" for i, e in enumerate(enrollments)}
        data["csrfmiddlewaretoken"] = token
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                reverse("courses:attendance_sheet", args=[cohort.pk, delivery.pk]), data
            )
        assert response.status_code == 302, response.status_code
        queries.append(len(captured))
    return time.perf_counter() - started, queries


def spread(queries: list[int]) -> str:
    low, high = min(queries), max(queries)
    return f"{low}" if low == high else f"{low}–{high}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--people", type=int, default=40)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    home = HomePageFactory(parent=Page.get_first_root_node())
    course = CoursePageFactory(parent=CurriculumIndexPageFactory(parent=home))
    per_group = -(-args.sheets // GROUPS)
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(1, per_group + 1)]
    trainer = person(Role.TRAINER)
    client, token = signed_in(trainer)

    warm = build(sheets=GROUPS, people=2, trainer=trainer, sessions=sessions, label="warm-up")
    sync(client, token, warm, [device_sheet(trainer, d, e) for _, d, e in warm])

    batch = build(
        sheets=args.sheets, people=args.people, trainer=trainer, sessions=sessions, label="main"
    )
    sheets = [device_sheet(trainer, d, e) for _, d, e in batch]
    seconds, queries, statuses = sync(client, token, batch, sheets)
    assert statuses == {201}, statuses
    saved = AttendanceRecord.objects.filter(delivery__in=[d for _, d, _ in batch]).count()
    assert saved == args.sheets * args.people, saved
    replay_seconds, replay_queries, replay_statuses = sync(client, token, batch, sheets)
    assert replay_statuses == {200}, replay_statuses
    assert AttendanceRecord.objects.count() == saved + GROUPS * 2

    sizes = {}
    for people in (max(1, args.people // 4), args.people * 2):
        other = build(
            sheets=GROUPS, people=people, trainer=trainer, sessions=sessions, label=people
        )
        _, other_queries, _ = sync(
            client, token, other, [device_sheet(trainer, d, e) for _, d, e in other]
        )
        sizes[people] = spread(other_queries)

    baseline = build(
        sheets=args.sheets, people=args.people, trainer=trainer, sessions=sessions, label="form"
    )
    form_seconds, form_queries = screen(client, token, baseline)

    rate, form_rate = args.sheets / seconds, args.sheets / form_seconds
    print(f"{args.sheets} sheets of {args.people} people through the sync endpoint (SQLite):")
    print(
        f"  new:      {seconds:.2f} s, {rate:.0f} sheets/s, "
        f"{rate * args.people:.0f} marks/s, {spread(queries)} queries per sheet"
    )
    print(
        f"  re-sent:  {replay_seconds:.2f} s, {args.sheets / replay_seconds:.0f} sheets/s, "
        f"{spread(replay_queries)} queries per sheet (already received, nothing written)"
    )
    print(
        "  queries per new sheet by roster size: "
        + ", ".join(
            f"{n} people: {q}" for n, q in sorted({**sizes, args.people: spread(queries)}.items())
        )
    )
    print(
        f"  baseline, the attendance screen's form: {form_seconds:.2f} s, {form_rate:.0f} "
        f"sheets/s, {spread(form_queries)} queries per sheet; endpoint/form speed "
        f"{rate / form_rate:.2f}×"
    )


if __name__ == "__main__":
    main()
