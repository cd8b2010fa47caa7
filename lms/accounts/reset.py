"""A forgotten password: an e-mailed link for whoever has an address on file, and nothing that
tells anybody else whether an account exists.

The request is limited per client address (``ACCOUNT_RESET_REQUESTS_PER_HOUR``) and per person
(at most three links an hour, each withdrawing the one before). The e-mail leaves after commit
through a task that takes the code's id; a link the broker never got is sent by the periodic
catch-up. People without e-mail are told, to the same page as everybody, to ask their
coordinator for a new printed code."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lms import access
from lms.accounts.codes import account_code_issue, people_for_reset
from lms.accounts.tasks import send_account_link
from lms.client_address import client_address
from lms.models import AccountCode
from lms.rate_limits import rate_limited

LINKS_PER_PERSON_PER_HOUR = 3


def reset_request(request: HttpRequest, *, identifier: str) -> int | None:
    """Send a link to the people `identifier` names, if any. Seconds to wait when the client
    asked too often, else None (whether or not anything was sent)."""
    waiting = rate_limited(
        "password-reset",
        client_address(request),
        limit=settings.ACCOUNT_RESET_REQUESTS_PER_HOUR,
        window_seconds=3600,
    )
    if waiting is not None:
        return waiting
    since = timezone.now() - timedelta(hours=1)
    for user in people_for_reset(identifier)[:3]:
        recent = AccountCode.objects.filter(
            user=user, channel=AccountCode.Channel.EMAIL, created_at__gte=since
        ).count()
        if recent >= LINKS_PER_PERSON_PER_HOUR:
            continue
        _issue_link(user)
    return None


@transaction.atomic
def _issue_link(user) -> None:
    issued = account_code_issue(
        user=user, channel=AccountCode.Channel.EMAIL, actor=None, site_id=access.home_site_id(user)
    )
    send_account_link.enqueue_after_commit(issued.account_code.pk)
