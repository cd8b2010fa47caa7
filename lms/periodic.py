"""Periodic jobs: one registry read by Celery beat and by `manage.py run_periodic`.

A feature adds a job in its app's ``periodic.py`` (found like ``admin.py``)::

    from datetime import timedelta

    from lms.periodic import PeriodicJob, register

    register(PeriodicJob(
        name="render-missing-certificate-pdfs",
        task="certificates.tasks.render_missing_certificate_pdfs",
        every=timedelta(minutes=15),
        description="Render the PDFs of certificates whose rendering never finished.",
    ))

The task is an ordinary Celery task that takes no arguments and must be idempotent: running it
twice in a row changes nothing the second time. With Redis, beat queues each job on its
schedule (``make worker`` runs beat inside the worker; deploy/ has a unit of its own); without
it, cron calls ``manage.py run_periodic``, which runs every job once in-process (``make run``
does so at each start).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.module_loading import autodiscover_modules

_JOBS: dict[str, PeriodicJob] = {}


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str  # the registered Celery task name
    every: timedelta
    description: str

    def __post_init__(self) -> None:
        if self.every < timedelta(minutes=1):
            raise ValueError(f"{self.name}: periodic jobs run at most once a minute")


def register(job: PeriodicJob) -> PeriodicJob:
    """Add a job; registering the same name twice is a mistake unless it is the same job."""
    existing = _JOBS.get(job.name)
    if existing is not None and existing != job:
        raise ValueError(f"A different periodic job is already registered as {job.name!r}")
    _JOBS[job.name] = job
    return job


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered job, after importing each installed app's ``periodic`` module."""
    autodiscover_modules("periodic")
    return sorted(_JOBS.values(), key=lambda job: job.name)


def beat_schedule() -> dict[str, dict]:
    """The jobs as Celery's ``beat_schedule``; a run that is late by a whole period is dropped,
    since the next one does the same work."""
    return {
        job.name: {
            "task": job.task,
            "schedule": job.every.total_seconds(),
            "options": {"expires": job.every.total_seconds()},
        }
        for job in periodic_jobs()
    }


@dataclass(frozen=True)
class JobRun:
    job: PeriodicJob
    result: object = None
    error: BaseException | None = None


class UnknownJob(LookupError):
    pass


def run_periodic_jobs(*, names: list[str] | None = None) -> list[JobRun]:
    """Run each job (or the named ones) once, now, in this process; one failure stops no other."""
    from celery import current_app as app  # lms.celery, set up with Django

    app.loader.import_default_modules()  # every app's tasks module, as a worker would
    jobs = periodic_jobs()
    if names:
        unknown = set(names) - {job.name for job in jobs}
        if unknown:
            raise UnknownJob(", ".join(sorted(unknown)))
        jobs = [job for job in jobs if job.name in names]
    runs = []
    for job in jobs:
        outcome = app.tasks[job.task].apply(throw=False)
        if outcome.failed():
            runs.append(JobRun(job=job, error=outcome.result))
        else:
            runs.append(JobRun(job=job, result=outcome.result))
    return runs


# The platform's own jobs; each app registers its jobs in its own periodic.py.
register(
    PeriodicJob(
        name="clear-expired-sessions",
        task="lms.tasks.clear_expired_sessions",
        every=timedelta(days=1),
        description="Delete expired sign-in sessions.",
    )
)
register(
    PeriodicJob(
        name="send-unsent-account-links",
        task="lms.accounts.tasks.send_unsent_account_links",
        every=timedelta(minutes=5),
        description="E-mail the account links whose e-mail never left (the broker was down).",
    )
)
register(
    PeriodicJob(
        name="apply-retention",
        task="lms.datarights.tasks.apply_retention",
        every=timedelta(days=1),
        description="Delete (or aggregate) what is past the retention periods of the "
        "data-protection settings, and personal data downloads past their day.",
    )
)
