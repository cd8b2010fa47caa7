"""Run every periodic job once, now, in this process: for cron when there is no Celery beat."""

from django.core.management.base import BaseCommand, CommandError

from lms.periodic import UnknownJob, run_periodic_jobs


class Command(BaseCommand):
    help = (
        "Run each registered periodic job once in this process (what Celery beat schedules). "
        "For cron on machines without Redis; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--job", action="append", dest="jobs", help="only this job (repeat)")

    def handle(self, *args, jobs: list[str] | None = None, **options):
        try:
            runs = run_periodic_jobs(names=jobs)
        except UnknownJob as error:
            raise CommandError(f"Unknown periodic job: {error.args[0]}") from error
        for run in runs:
            if run.error is None:
                result = "" if run.result is None else f": {run.result}"
                self.stdout.write(f"{run.job.name}: done{result}")
            else:
                self.stderr.write(f"{run.job.name}: FAILED: {run.error!r}")
        if any(run.error is not None for run in runs):
            raise CommandError("Some periodic jobs failed (see above); the others ran.")
