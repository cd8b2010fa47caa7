"""The base class of every Celery task of the platform: queued after commit, once.

Tasks take ids, re-fetch their rows, call a service and retry with backoff; a service queues
one with :meth:`AfterCommitTask.enqueue_after_commit`, so the job only exists once the rows it
needs are committed. After the commit the broker gets one short check (its verdict kept a few
seconds); if it cannot be reached nothing waits for it: the rows are safe, the job is logged as
pending and each app has a command that catches up (``render_pending_certificates``), and a
periodic job that does so on its own (lms/periodic.py).

Also the platform's own periodic tasks.
"""

import logging
import time
from importlib import import_module

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# Reaching the broker: one short check after commit, never retries inside a request. A verdict
# is kept a few seconds in the process, so issuing 60 certificates checks once, not 60 times.
BROKER_CHECK_TIMEOUT = 1.0
BROKER_VERDICT_SECONDS = {True: 5.0, False: 30.0}
_broker_verdict: tuple[bool, float] | None = None


def broker_reachable() -> bool:
    """Whether the broker answers now (always, when tasks run in-process)."""
    global _broker_verdict
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    now = time.monotonic()
    if _broker_verdict is not None and now < _broker_verdict[1]:
        return _broker_verdict[0]
    from lms.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.connect_timeout = BROKER_CHECK_TIMEOUT
            connection.ensure_connection(max_retries=0, timeout=BROKER_CHECK_TIMEOUT)
        reachable = True
    except Exception:  # refused, timed out, bad URL: the rows wait for the periodic job
        reachable = False
    _broker_verdict = (reachable, now + BROKER_VERDICT_SECONDS[reachable])
    return reachable


def forget_broker_verdict() -> None:
    global _broker_verdict
    _broker_verdict = None


class AfterCommitTask(DjangoTask):
    autoretry_for = (Exception,)
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 8

    def enqueue_after_commit(self, *args) -> None:
        """Queue this task with `args` once the current transaction commits, if the broker
        answers a short check; otherwise the job stays pending for the periodic catch-up, and
        the request that committed never waits for a broker that is down."""

        def enqueue() -> None:
            global _broker_verdict
            if not broker_reachable():
                logger.warning("Broker unreachable: %s%r stays pending.", self.name, args)
                return
            try:
                self.apply_async(args, retry=False)
            except self.OperationalError:
                _broker_verdict = (False, time.monotonic() + BROKER_VERDICT_SECONDS[False])
                logger.warning("Could not queue %s%r; it stays pending.", self.name, args)

        transaction.on_commit(enqueue)


@shared_task
def clear_expired_sessions() -> None:
    """Periodic: delete expired sessions from the session store (idempotent)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
