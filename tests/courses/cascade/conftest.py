import pytest

from certificates.issuance.services import certificates_issue
from tests.factories import CommunityGroupFactory, EnrollmentFactory, hold_sessions


@pytest.fixture
def certified(cohort_setup, django_capture_on_commit_callbacks):
    """An activist of the Villa María cohort who attended everything and holds its certificate."""
    cohort = cohort_setup["cohort"]
    enrollment = EnrollmentFactory(cohort=cohort)
    hold_sessions(cohort, cohort_setup["sessions"], {enrollment: list("PPPP")}, days_ago_start=60)
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = certificates_issue(
            actor=None, cohort=cohort, enrollment_ids=[enrollment.pk]
        )
    return enrollment.activist


@pytest.fixture
def group(certified, course, cohort_setup):
    return CommunityGroupFactory(activist=certified, course=course, cem=cohort_setup["cem"])
