"""The base class of every Celery task of the platform: queued after commit, once.

Tasks take ids, re-fetch their rows, call a service and retry with backoff; a service queues
one with :meth:`AfterCommitTask.enqueue_after_commit`, so the job only exists once the rows it
needs are committed. If the broker cannot be reached the rows are safe and the job is logged
as pending: each app has a command that catches up (``render_pending_certificates``), and a
periodic job that does so on its own (lms/periodic.py).

Also the platform's own periodic tasks.
"""

import logging
from importlib import import_module

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# Reaching the broker: a couple of quick retries, then the job waits for the catch-up command.
BROKER_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2}


class AfterCommitTask(DjangoTask):
    autoretry_for = (Exception,)
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 8

    def enqueue_after_commit(self, *args) -> None:
        """Queue this task with `args` once the current transaction commits."""

        def enqueue() -> None:
            try:
                self.apply_async(args, retry_policy=BROKER_RETRY_POLICY)
            except self.OperationalError:
                logger.warning("Could not queue %s%r; it stays pending.", self.name, args)

        transaction.on_commit(enqueue)


@shared_task
def clear_expired_sessions() -> None:
    """Periodic: delete expired sessions from the session store (idempotent)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
