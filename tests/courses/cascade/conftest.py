import datetime as dt
import uuid

import pytest
from django.utils import timezone

from certificates.issuance.services import certificates_issue
from courses.cascade.bands import COUNT_FIELDS, FIRST_FIELDS
from courses.cascade.protocol import ReplicaInput
from tests.factories import CommunityGroupFactory, EnrollmentFactory, hold_sessions


def replica_input(sessions, *, days_ago: int = 3, **changes) -> ReplicaInput:
    """A valid replica session: 7 women and 5 men of 18–29, 4 and 2 of them for the first time."""
    counts = dict.fromkeys((*COUNT_FIELDS, *FIRST_FIELDS), 0)
    counts |= {"women_18_29": 7, "men_18_29": 5, "first_women_18_29": 4, "first_men_18_29": 2}
    counts |= changes.pop("counts", {})
    values = {
        "uuid": uuid.uuid4(),
        "held_on": timezone.localdate() - dt.timedelta(days=days_ago),
        "duration_minutes": 90,
        "place": "Local comunal de Nueva Esperanza",
        "session_ids": tuple(s.pk for s in sessions[:2]),
        "counts": counts,
    }
    return ReplicaInput(**(values | changes))


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
