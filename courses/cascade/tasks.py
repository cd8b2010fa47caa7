"""Celery tasks of the cascade (registered with workers through courses/tasks.py). They take
ids and call the issuance service, which is idempotent: a task that runs twice issues once."""

from celery import shared_task

from certificates.issuance.services import certificates_issue_after_practice
from lms.tasks import AfterCommitTask


@shared_task(bind=True, base=AfterCommitTask)
def issue_after_practice(self, activist_id: int) -> int:
    """A replica session of the activist's was verified: issue what her practice completes."""
    return len(certificates_issue_after_practice(activist_id=activist_id))


@shared_task
def issue_practice_certificates() -> int:
    """Periodic catch-up: whatever a lost task or a later change of the rule left unissued."""
    return len(certificates_issue_after_practice())
