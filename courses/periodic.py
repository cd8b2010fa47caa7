"""Periodic jobs of courses (see lms/periodic.py)."""

from datetime import timedelta

from courses.cascade import tasks
from lms.periodic import PeriodicJob, register

register(
    PeriodicJob(
        name="issue-certificates-after-practice",
        task=tasks.issue_practice_certificates.name,
        every=timedelta(hours=1),
        description=(
            "Issue the certificates that supervised practice verified after a cohort closed "
            "has earned, when the task queued at verification was lost."
        ),
    )
)
