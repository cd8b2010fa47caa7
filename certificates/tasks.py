"""Celery tasks: they take ids, re-fetch, call a service, and retry with backoff."""

from celery import shared_task

from certificates.services import certificate_notify, certificate_render


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def render_certificate_pdf(self, certificate_id: int) -> None:
    if certificate_render(certificate_id=certificate_id):
        notify_certificate_issued.delay(certificate_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def notify_certificate_issued(self, certificate_id: int) -> None:
    certificate_notify(certificate_id=certificate_id)
