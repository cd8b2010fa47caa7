"""Celery tasks of certificates: they take ids, re-fetch, call a documents service and retry
with backoff (:class:`lms.tasks.AfterCommitTask`). Issuance queues them; they never call back."""

from celery import shared_task

from certificates.documents.recovery import certificates_recover
from certificates.documents.services import certificate_notify, certificate_render
from lms.tasks import AfterCommitTask


@shared_task(bind=True, base=AfterCommitTask)
def render_certificate_pdf(self, certificate_id: int) -> None:
    if certificate_render(certificate_id=certificate_id):
        notify_certificate_issued.delay(certificate_id)


@shared_task(bind=True, base=AfterCommitTask, retry_backoff=30, max_retries=5)
def notify_certificate_issued(self, certificate_id: int) -> None:
    certificate_notify(certificate_id=certificate_id)


@shared_task
def render_missing_certificate_pdfs() -> int:
    """Periodic: render what an outage of the broker or the workers left without a current PDF
    (none, or without its revocation stamp) and tell the holders nobody told. Idempotent.
    Returns how many were rendered."""
    return certificates_recover().rendered


@shared_task
def recover_certificate_files() -> int:
    """Periodic, daily: the same, also looking in the storage for PDFs whose file went missing
    and removing what renders that died left behind. Returns how many were rendered."""
    return certificates_recover(check_files=True).rendered
