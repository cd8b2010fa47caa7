"""The e-mail of an account link, after commit, by the code's id (lms.tasks.AfterCommitTask)."""

from celery import shared_task

from lms.accounts.mail import account_link_send
from lms.tasks import AfterCommitTask


@shared_task(bind=True, base=AfterCommitTask, retry_backoff=30, max_retries=5)
def send_account_link(self, code_id: int) -> None:
    account_link_send(code_id=code_id)
