"""Bulk issuance while the broker (Redis) is down: the request writes the rows, signs the
credentials, checks the broker once after commit and leaves the PDFs to the periodic job.
Target: a cohort of 60 in under 2 s.

Run from the project root::

    .venv/bin/python bench/certificates_issue_broker_down.py [--activists 60] [--repeat 3]

Builds a throwaway SQLite database, points the broker and the cache at a port nothing listens
on (what a stopped Redis looks like to the web process) and times `certificates_issue` with its
after-commit queueing. The baseline, measured in the same run, is what queueing did before: each
task tried the broker with two quick retries; it is timed on a few tasks and given per
certificate.
"""

import argparse
import contextlib
import socket
import time
from datetime import timedelta

from scratch import attended_cohort, scratch_django


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WORKDIR = scratch_django(
    "cem-bench-",
    CREDENTIALS_KEY_FILE="{workdir}/signing-keys.pem",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    LOG_LEVEL="ERROR",  # each certificate left pending is a warning
    REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0",  # Redis stopped: broker and cache
)

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.models import Page  # noqa: E402

from certificates.credentials import services as credential_services  # noqa: E402
from certificates.documents.recovery import certificates_recover  # noqa: E402
from certificates.issuance.services import certificates_issue  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.tasks import render_certificate_pdf  # noqa: E402
from lms.tasks import forget_broker_verdict  # noqa: E402
from tests.factories import (  # noqa: E402
    CoursePageFactory,
    CurriculumIndexPageFactory,
    HomePageFactory,
    SessionPageFactory,
)

OLD_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2}


def baseline_per_task(samples: int = 3) -> float:
    """What each queued task cost the request before: the broker tried with two retries."""
    started = time.perf_counter()
    for _ in range(samples):
        with contextlib.suppress(render_certificate_pdf.OperationalError):
            render_certificate_pdf.apply_async((0,), retry_policy=OLD_RETRY_POLICY)
    return (time.perf_counter() - started) / samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activists", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    home = HomePageFactory(parent=Page.get_first_root_node())
    course = CoursePageFactory(parent=CurriculumIndexPageFactory(parent=home))
    for number in range(1, 11):
        SessionPageFactory(parent=course, number=number)
    credential_services.active_signing_key()
    # The request that issues has been routed before it issues: its process has imported every
    # view (scipy included, through the analytics) by then. Outside a request that import would
    # land in the first timed run.
    reverse("certificates:verify_form")
    timings = []
    for _ in range(args.repeat):
        cohort = attended_cohort(args.activists, course)
        forget_broker_verdict()  # every run pays its own check of the broker
        started = time.perf_counter()
        with transaction.atomic():
            issued = certificates_issue(actor=None, cohort=cohort)
        elapsed = time.perf_counter() - started  # the after-commit queueing ran before this
        assert len(issued) == args.activists
        assert Certificate.objects.filter(enrollment__cohort=cohort, pdf="").count() == len(issued)
        timings.append(elapsed)
    per_task = baseline_per_task()
    best = min(timings)
    print(
        f"issuance with Redis stopped (broker and cache), {args.activists} activists: "
        f"best {best:.3f} s of {args.repeat} (runs: {', '.join(f'{t:.3f}' for t in timings)}; "
        f"target < 2 s); "
        f"rows, audit and signed credentials, PDFs left pending"
    )
    print(
        f"baseline (each task tried the broker with two retries): {per_task:.3f} s per "
        f"certificate, {per_task * args.activists:.1f} s for {args.activists}: "
        f"{per_task * args.activists / best:.0f}x slower"
    )
    Certificate.objects.update(created_at=Certificate.objects.order_by("pk").first().created_at)
    started = time.perf_counter()
    recovery = certificates_recover(grace=timedelta())
    print(
        f"the periodic job, once the broker is back: {recovery.rendered} PDFs rendered and "
        f"{recovery.notified} holders told in {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
