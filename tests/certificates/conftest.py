import pytest

from certificates.issuance.services import certificates_issue
from tests.factories import EnrollmentFactory, SessionPageFactory, hold_sessions


@pytest.fixture
def issued(cohort_setup, course, django_capture_on_commit_callbacks):
    """Two activists of the running cohort attended everything and hold certificates with
    their PDFs; the three others of the cohort attended nothing."""
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(5, 10)]
    cohort = cohort_setup["cohort"]
    winners = [EnrollmentFactory(cohort=cohort) for _ in range(2)]
    marks = {w: list("PPPPPPPPP") for w in winners}
    marks |= {e: list("AAAAAAAAA") for e in cohort_setup["enrollments"]}
    hold_sessions(cohort, cohort_setup["sessions"] + sessions, marks, days_ago_start=70)
    with django_capture_on_commit_callbacks(execute=True):
        certificates = certificates_issue(actor=None, cohort=cohort)
    return cohort_setup | {"winners": winners, "certificates": certificates}
