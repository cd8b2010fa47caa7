"""Celery tasks of certificates: they take ids, re-fetch, call a documents service and retry
with backoff (:class:`lms.tasks.AfterCommitTask`). Issuance queues them; they never call back."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from certificates.documents.services import (
    certificate_notify,
    certificate_render,
    pending_certificates,
)
from lms.tasks import AfterCommitTask

# A certificate younger than this still has its own rendering task in flight.
RENDER_GRACE = timedelta(minutes=5)


@shared_task(bind=True, base=AfterCommitTask)
def render_certificate_pdf(self, certificate_id: int) -> None:
    if certificate_render(certificate_id=certificate_id):
        notify_certificate_issued.delay(certificate_id)


@shared_task(bind=True, base=AfterCommitTask, retry_backoff=30, max_retries=5)
def notify_certificate_issued(self, certificate_id: int) -> None:
    certificate_notify(certificate_id=certificate_id)


@shared_task
def render_missing_certificate_pdfs() -> int:
    """Periodic: render what an outage of the broker or the workers left without a PDF.

    Idempotent: only certificates still without a PDF are touched, so a second run finds
    nothing to do. Returns how many were rendered."""
    cutoff = timezone.now() - RENDER_GRACE
    rendered = 0
    for certificate_id in (
        pending_certificates().filter(created_at__lte=cutoff).values_list("pk", flat=True)
    ):
        if certificate_render(certificate_id=certificate_id):
            notify_certificate_issued.delay(certificate_id)
        rendered += 1
    return rendered
