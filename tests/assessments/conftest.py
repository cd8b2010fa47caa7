import pytest

from tests.helpers import build_dataset


@pytest.fixture
def dataset(course):
    """Four cohorts at two sites with known entry and exit answers (see tests.helpers)."""
    return build_dataset(course)


@pytest.fixture
def enrollment(cohort_setup, instrument):
    """An activist of the running cohort, whose course asks the example instrument twice."""
    course = cohort_setup["cohort"].course
    course.pre_instrument = course.post_instrument = instrument
    course.save()
    return cohort_setup["enrollments"][0]
