"""Two requests issuing a cohort's certificates at the same moment make one set, on PostgreSQL."""

import os
import threading

import pytest
from django.db import connection, connections

from certificates.issuance.services import certificates_issue
from certificates.models import Certificate
from tests.factories import EnrollmentFactory, hold_sessions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_concurrent_bulk_issuances_make_one_certificate_each(cohort_setup):
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the suite on PostgreSQL; this test must run there")
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    cohort = cohort_setup["cohort"]
    people = [EnrollmentFactory(cohort=cohort) for _ in range(8)]
    marks = {p: list("PPPP") for p in people} | {
        e: list("AAAA") for e in cohort_setup["enrollments"]
    }
    hold_sessions(cohort, cohort_setup["sessions"], marks, days_ago_start=40)

    barrier = threading.Barrier(2)
    results, errors = [], []

    def issue() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(len(certificates_issue(actor=None, cohort=cohort)))
        except Exception as error:  # reported below, so a failure is visible
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(results) == [0, 8]
    assert Certificate.objects.filter(status="valid").count() == 8
    assert Certificate.objects.values("enrollment").distinct().count() == 8
