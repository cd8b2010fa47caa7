"""Celery tasks of courses, by sub-domain: importing them here registers them with workers,
which look for each app's ``tasks`` module."""

from courses.cascade.tasks import issue_after_practice, issue_practice_certificates

__all__ = ["issue_after_practice", "issue_practice_certificates"]
