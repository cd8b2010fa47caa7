"""Celery tasks of the data-rights workflow: they take ids, re-fetch and call a service of
:mod:`lms.datarights.portability` or :mod:`lms.datarights.retention`, never back into the
services that queue them (:class:`lms.tasks.AfterCommitTask`)."""

from celery import shared_task

from lms.datarights.portability import personal_data_export_build, personal_data_export_failed
from lms.datarights.retention import retention_apply
from lms.tasks import AfterCommitTask


@shared_task(bind=True, base=AfterCommitTask, max_retries=4, retry_backoff=2)
def build_personal_data_export(self, export_id: int) -> None:
    """Ready in seconds; a failure is retried a few times, then shown to her as failed."""
    try:
        personal_data_export_build(export_id=export_id)
    except Exception:
        if self.request.retries >= self.max_retries:
            personal_data_export_failed(export_id=export_id)
        raise


@shared_task
def apply_retention() -> dict[str, int | None]:
    """Periodic: the data-protection settings' retention periods (idempotent)."""
    return {outcome.rule.key: outcome.count for outcome in retention_apply()}
