""" "Mis cursos" costs the same number of queries however many courses an activist has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.roles import Role
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    SessionPageFactory,
    hold_sessions,
    person,
)


def queries_for(client, user) -> int:
    client.force_login(user)
    client.get("/mis-cursos/")  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/mis-cursos/").status_code == 200
    return len(captured)


def test_my_courses_query_count_does_not_grow_with_enrollments(client, cohort_setup, course):
    sessions = cohort_setup["sessions"] + [SessionPageFactory(parent=course, number=9)]
    activist = person(Role.ACTIVIST, cem=cohort_setup["cem"])
    first = EnrollmentFactory(cohort=cohort_setup["cohort"], activist=activist)
    hold_sessions(cohort_setup["cohort"], sessions, {first: list("PPAPP")}, days_ago_start=14)
    one = queries_for(client, activist)
    for _ in range(2):
        cohort = CohortFactory(
            course=course, cem=cohort_setup["cem"], trainers=[cohort_setup["trainer"]]
        )
        enrollment = EnrollmentFactory(cohort=cohort, activist=activist)
        hold_sessions(cohort, sessions, {enrollment: list("PLPAP")}, days_ago_start=14)
    assert queries_for(client, activist) == one
