"""Bulk issuance for one cohort, eager: rows, audit entries, signed credentials (Data Integrity
proof and VC-JWT for each) and every PDF rendered in-process. Target: under 2 s for 40.

Run from the project root::

    .venv/bin/python bench/certificates_issue.py [--activists 40] [--repeat 3]

Builds a throwaway SQLite database in a temporary folder (migrated once), a course of ten
sessions and a cohort whose activists all attended, then times `certificates_issue` with the
after-commit rendering tasks running eagerly, as they do when REDIS_URL is unset.
"""

import argparse
import sys
import time

from scratch import attended_cohort, scratch_django

WORKDIR = scratch_django(
    "cem-bench-",
    # A throwaway development signing key, generated on first use (never the repository's keyring).
    CREDENTIALS_KEY_FILE="{workdir}/signing-keys.pem",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from wagtail.models import Page  # noqa: E402

from certificates.credentials import services as credential_services  # noqa: E402
from certificates.credentials.models import PortableCredential  # noqa: E402
from certificates.issuance.services import certificates_issue  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from tests.factories import (  # noqa: E402
    CoursePageFactory,
    CurriculumIndexPageFactory,
    HomePageFactory,
    SessionPageFactory,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activists", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    home = HomePageFactory(parent=Page.get_first_root_node())
    course = CoursePageFactory(parent=CurriculumIndexPageFactory(parent=home))
    for number in range(1, 11):
        SessionPageFactory(parent=course, number=number)
    credential_services.active_signing_key()  # the development key, generated once
    timings, signing = [], []
    sign = credential_services.portable_credentials_issue

    def timed_sign(**kwargs):
        started = time.perf_counter()
        result = sign(**kwargs)
        signing.append(time.perf_counter() - started)
        return result

    # Issuance calls the signing service once per cohort: time that call where it is made.
    sys.modules[certificates_issue.__module__].portable_credentials_issue = timed_sign
    for _ in range(args.repeat):
        cohort = attended_cohort(args.activists, course)
        started = time.perf_counter()
        with transaction.atomic():
            issued = certificates_issue(actor=None, cohort=cohort)
        elapsed = time.perf_counter() - started  # on_commit rendering ran before this line
        assert len(issued) == args.activists
        assert not Certificate.objects.filter(enrollment__cohort=cohort, pdf="").exists()
        signed = PortableCredential.objects.filter(certificate__enrollment__cohort=cohort)
        assert signed.count() == args.activists
        timings.append(elapsed)
    best = min(timings)
    print(
        f"bulk issuance, eager, {args.activists} activists: best {best:.3f} s of {args.repeat} "
        f"(runs: {', '.join(f'{t:.3f}' for t in timings)}); "
        f"{args.activists / best:.0f} certificates/s including rows, audit, signing and PDFs"
    )
    per_certificate = [seconds / args.activists * 1000 for seconds in signing]
    print(
        f"signing within it: {min(signing):.3f} s best for {args.activists} credentials = "
        f"{min(per_certificate):.1f} ms per certificate (runs: "
        f"{', '.join(f'{ms:.1f}' for ms in per_certificate)} ms; target <= 10 ms), "
        "status indexes and key lookup included"
    )


if __name__ == "__main__":
    main()
