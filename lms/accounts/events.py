"""Sign-ins in the audit log: each success, each password or code that was wrong, and each
pause of the throttle (once per pause, not once per refused try). Never the password, never
the address (a keyed hash of it); only for accounts that exist, so that a password typed into
the user-name field is never kept."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from lms import access
from lms.accounts.throttle import RefusalKind, refusal_of
from lms.audit import audit_record
from lms.client_address import client_address, client_hash
from lms.models import AuditLogEntry

User = get_user_model()


def _facts(request: HttpRequest | None) -> dict:
    if request is None:
        return {}
    return {
        "via": "admin" if request.path.startswith("/admin/") else "site",
        "client": client_hash(client_address(request))[:16],
    }


def _refused_untried(request: HttpRequest | None) -> bool:
    """Whether the throttle refused the request before any password was checked (django-axes
    records a checked failure's count on the request; a refusal leaves none)."""
    return (
        request is not None
        and getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )


def _account(username: str | None):
    if not username or len(username) > 150:
        return None
    return User.objects.filter(username=username).select_related("profile").first()


@receiver(user_logged_in, dispatch_uid="lms.accounts.audit_sign_in")
def _signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not request.path:
        return  # not over the web: a session made up by a test or a command
    audit_record(
        actor=user,
        action=AuditLogEntry.Action.SIGN_IN,
        instance=user,
        site=access.home_site_id(user),
        after=_facts(request) | {"shared_device": bool(getattr(request, "shared_device", False))},
    )


@receiver(user_login_failed, dispatch_uid="lms.accounts.audit_failure")
def _failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    if _refused_untried(request):
        return  # not tried at all: the pause itself is recorded once, below
    user = _account(credentials.get("username"))
    if user is None:
        return
    audit_record(
        actor=None,
        action=AuditLogEntry.Action.SIGN_IN_FAILED,
        instance=user,
        site=access.home_site_id(user),
        after=_facts(request) | {"with": "code" if "secret_code" in credentials else "password"},
    )


@receiver(user_locked_out, dispatch_uid="lms.accounts.audit_pause")
def _paused(sender, request: HttpRequest, username: str | None = None, **kwargs) -> None:
    user = _account(username)
    if user is None:
        return
    refusal = refusal_of(request, username)
    if refusal.kind == RefusalKind.LOCKED and _refused_untried(request):
        return  # a try while locked: the lock was recorded when it began
    if (
        refusal.kind == RefusalKind.COOLDOWN
        and AuditLogEntry.objects.filter(
            action=AuditLogEntry.Action.LOCKED,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(user.pk),
            created_at__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
            after__kind=RefusalKind.COOLDOWN,
        ).exists()
    ):
        return
    audit_record(
        actor=None,
        action=AuditLogEntry.Action.LOCKED,
        instance=user,
        site=access.home_site_id(user),
        after=_facts(request) | {"kind": refusal.kind, "until": refusal.until.isoformat()},
    )
