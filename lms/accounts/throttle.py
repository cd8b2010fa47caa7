"""Sign-in that resists guessing and still lets the right person in.

Every sign-in form (the site's, the admin's, the one-time codes') goes through
``django.contrib.auth.authenticate``, so three limits hold for all of them, checked before a
password or a code is looked at:

1. **Username and address** (django-axes): ``AXES_FAILURE_LIMIT`` failures of one username from
   one client address lock that pair for ``AXES_COOLOFF_TIME``. Nobody else is affected: the
   other people of a workshop behind the same address sign in as usual.
2. **Username from many addresses**: once a username has ``SIGNIN_COOLDOWN_AFTER`` failures in
   that time, from wherever, each further try waits ``SIGNIN_COOLDOWN_SECONDS`` after the last
   failure: guessing slows to a crawl, but the name is never locked.
3. **Address for many usernames**: once an address has ``SIGNIN_ADDRESS_COOLDOWN_AFTER``
   failures (a workshop's typing mistakes stay far below it), the same short cool-down.

A browser in which someone signed in before carries a signed *trusted device* cookie (never on
a phone its owner marked as not hers); with it she skips both cool-downs, so an attacker who
keeps her name cooling down does not keep her out. The lock of limit 1 holds for everybody.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from lms.client_address import client_address

DEVICE_COOKIE = "cem_dispositivo"
DEVICE_COOKIE_SALT = "lms.accounts.trusted-device"
DEVICE_COOKIE_DAYS = 180
DEVICE_MAX_PEOPLE = 5  # a family phone: the last few people who signed in on it


class RefusalKind:
    LOCKED = "locked"  # this username from this address
    COOLDOWN = "cooldown"  # this username, or this address, under attack


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in was not even tried, and until when."""

    kind: str
    until: datetime

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait (at least one), for the Retry-After header."""
        return max(1, int((self.until - timezone.now()).total_seconds() + 0.999))


def _window_start() -> datetime:
    return timezone.now() - settings.AXES_COOLOFF_TIME


def _cooldown(failures: dict) -> datetime | None:
    last = failures["last"]
    if last is None:
        return None
    until = last + timedelta(seconds=settings.SIGNIN_COOLDOWN_SECONDS)
    return until if until > timezone.now() else None


def cooldown_until(request: HttpRequest, username: str) -> datetime | None:
    """When the next try for `username` from this request may be evaluated, if not now."""
    if is_trusted_device(request, username):
        return None
    recent = AccessAttempt.objects.filter(attempt_time__gte=_window_start())
    for attempts, threshold in (
        (recent.filter(username=username), settings.SIGNIN_COOLDOWN_AFTER),
        (recent.filter(ip_address=client_address(request)), settings.SIGNIN_ADDRESS_COOLDOWN_AFTER),
    ):
        failures = attempts.aggregate(count=Sum("failures_since_start"), last=Max("attempt_time"))
        if (failures["count"] or 0) >= threshold and (until := _cooldown(failures)):
            return until
    return None


def lockout_until(request: HttpRequest, username: str) -> datetime:
    """When the lock of `username` from this request's address ends."""
    last = AccessAttempt.objects.filter(
        username=username, ip_address=client_address(request), attempt_time__gte=_window_start()
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def refusal_of(request: HttpRequest, username: str | None) -> Refusal:
    """The refusal a request flagged by the throttle gets (a lock unless a cool-down said so)."""
    refusal = getattr(request, "signin_refusal", None)
    if refusal is not None:
        return refusal
    return Refusal(RefusalKind.LOCKED, lockout_until(request, username or ""))


class CooldownBackend:
    """Refuses, before any password is checked, a username or an address in cool-down.

    It authenticates nobody (and has no ``get_user``: no session names it). Flagging the
    request the way django-axes flags its own refusals keeps the refused try out of the failure
    counts (so that a waiting person does not lock herself) and lets
    ``axes.middleware.AxesMiddleware`` answer with the refusal page."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **_):
        if request is None or not username:
            return None
        until = cooldown_until(request, username)
        if until is None:
            return None
        request.axes_locked_out = True
        request.signin_refusal = Refusal(RefusalKind.COOLDOWN, until)
        raise PermissionDenied


# --- Trusted devices -----------------------------------------------------------------------


def _device_token(username: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"device:{username}".encode(), hashlib.sha256).hexdigest()[:20]


def _device_tokens(request: HttpRequest) -> list[str]:
    try:
        tokens = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""),
            salt=DEVICE_COOKIE_SALT,
            max_age=timedelta(days=DEVICE_COOKIE_DAYS),
        )
    except signing.BadSignature:
        return []
    return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []


def is_trusted_device(request: HttpRequest, username: str) -> bool:
    """Whether `username` signed in with this browser before."""
    return _device_token(username) in _device_tokens(request)


@receiver(user_logged_in, dispatch_uid="lms.accounts.trusted_device")
def _remember_device(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or getattr(request, "shared_device", False):
        return
    request.trusted_device_username = user.get_username()


def trusted_device_middleware(get_response):
    """After a sign-in on a device its owner did not mark as shared, remember the person in a
    signed cookie (a token per person, never the name)."""

    def middleware(request: HttpRequest):
        response = get_response(request)
        username = getattr(request, "trusted_device_username", None)
        if username:
            token = _device_token(username)
            tokens = [token, *(t for t in _device_tokens(request) if t != token)]
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(tokens[:DEVICE_MAX_PEOPLE], salt=DEVICE_COOKIE_SALT),
                max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return middleware
