"""Celery application: Redis broker when REDIS_URL is set, eager in-process tasks otherwise.

Beat's schedule comes from the periodic-job registry (lms/periodic.py)."""

import os

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["lms.accounts"])  # packages inside an app are not looked into
app.autodiscover_tasks(["lms.datarights"])


class RegistryScheduler(PersistentScheduler):
    """Beat's schedule is the registry in lms/periodic.py, read once Django is set up."""

    def setup_schedule(self) -> None:
        from lms.periodic import beat_schedule

        self.app.conf.beat_schedule = beat_schedule()
        super().setup_schedule()
