"""The e-mail of an account link, after commit, by the code's id (lms.tasks.AfterCommitTask)."""

from celery import shared_task

from lms.accounts.mail import account_link_send, unsent_links
from lms.tasks import AfterCommitTask


@shared_task(bind=True, base=AfterCommitTask, retry_backoff=30, max_retries=5)
def send_account_link(self, code_id: int) -> None:
    account_link_send(code_id=code_id)


@shared_task
def send_unsent_account_links() -> int:
    """Periodic: e-mail the account links whose e-mail never left (the broker was down).
    Idempotent: a sent link is marked. Returns how many were sent."""
    return sum(account_link_send(code_id=pk) for pk in unsent_links().values_list("pk", flat=True))
