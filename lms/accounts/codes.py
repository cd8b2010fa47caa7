"""One-time codes with which people set their own password.

People imported from a roster have an account without a password. A coordinator gives each a
*printed* code (a slip per person, for those without e-mail; valid ``ACCOUNT_PRINTED_CODE_DAYS``)
or sends an *e-mailed link* (valid ``ACCOUNT_EMAILED_LINK_HOURS``); whoever forgot her password
asks for a link on the sign-in page, or, without e-mail, asks her coordinator for a new printed
code. Every code is single-use and expiring; issuing a new one withdraws the person's older
ones; issuing and using are audit-logged, never the code. Typing a code goes through
``authenticate`` (:class:`AccountCodeBackend`), so the sign-in throttle counts wrong codes as it
counts wrong passwords.

A code is derived from a random nonce with the secret key: the database alone reveals no code,
and the e-mail task, which takes the row's id like every task, can write the link. Only a hash
of the code is looked up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.audit import audit_record
from lms.codes import READABLE_ALPHABET
from lms.models import AccountCode, AuditLogEntry

User = get_user_model()
PRINTED_CODE_LENGTH = 12  # ≈ 57 bits, typed on a phone in three groups of four


def _digest(nonce: str) -> bytes:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"lms.accounts.code:{nonce}".encode(), hashlib.sha256).digest()


def _printed(nonce: str) -> str:
    number = int.from_bytes(_digest(nonce), "big")
    symbols = []
    for _ in range(PRINTED_CODE_LENGTH):
        number, index = divmod(number, len(READABLE_ALPHABET))
        symbols.append(READABLE_ALPHABET[index])
    return "-".join("".join(symbols[i : i + 4]) for i in range(0, PRINTED_CODE_LENGTH, 4))


def _link_token(nonce: str) -> str:
    return base64.urlsafe_b64encode(_digest(nonce)).decode().rstrip("=")


def normalise(code: str) -> str:
    """What someone typed, without spaces, dashes or case (printed codes), or as it is (links)."""
    text = "".join(code.split())
    if len(text.replace("-", "")) == PRINTED_CODE_LENGTH:
        return text.replace("-", "").upper()
    return text


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def secret_of(account_code: AccountCode) -> str:
    """The code of a row, as printed or as it goes in a link."""
    if account_code.channel == AccountCode.Channel.PRINTED:
        return _printed(account_code.nonce)
    return _link_token(account_code.nonce)


@dataclass(frozen=True)
class IssuedCode:
    account_code: AccountCode
    secret: str

    @property
    def user(self):
        return self.account_code.user

    @property
    def expires_at(self):
        return self.account_code.expires_at


def _lifetime(channel: str) -> timedelta:
    if channel == AccountCode.Channel.PRINTED:
        return timedelta(days=settings.ACCOUNT_PRINTED_CODE_DAYS)
    return timedelta(hours=settings.ACCOUNT_EMAILED_LINK_HOURS)


def usable_codes() -> QuerySet[AccountCode]:
    return AccountCode.objects.filter(
        used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def account_code_issue(
    *, user: AbstractBaseUser, channel: str, actor: AbstractBaseUser | None, site_id: int | None
) -> IssuedCode:
    """A new code for `user` (activation while she has no password, else a new password),
    withdrawing her older ones. The caller prints it or queues the e-mail."""
    now = timezone.now()
    usable_codes().filter(user=user).update(withdrawn_at=now)
    purpose = (
        AccountCode.Purpose.RESET if user.has_usable_password() else AccountCode.Purpose.ACTIVATION
    )
    nonce = secrets.token_hex(16)
    row = AccountCode(
        user=user,
        purpose=purpose,
        channel=channel,
        nonce=nonce,
        created_at=now,
        expires_at=now + _lifetime(channel),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    row.code_hash = _hash(secret_of(row))
    row.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CODE_ISSUED,
        instance=user,
        site=site_id,
        after={"purpose": purpose, "channel": channel, "expires_at": row.expires_at.isoformat()},
    )
    return IssuedCode(account_code=row, secret=secret_of(row))


def usable_code(code: str, *, user: AbstractBaseUser | None = None) -> AccountCode | None:
    """The usable row a code typed or followed stands for (of `user`, if given)."""
    if not code or len(code) > 100:
        return None
    rows = usable_codes().select_related("user").filter(code_hash=_hash(code), user__is_active=True)
    if user is not None:
        rows = rows.filter(user=user)
    return rows.first()


class AccountCodeBackend:
    """Authenticates a username with one of her usable codes (``secret_code``): after the
    throttle's backends, so wrong codes count as wrong passwords do. The code stays usable
    until :func:`account_code_redeem` sets the password."""

    def authenticate(self, request, username: str | None = None, secret_code: str | None = None):
        if not username or not secret_code:
            return None
        row = usable_code(secret_code)
        if row is None or row.user.get_username() != username:
            return None
        return row.user

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()


@transaction.atomic
def account_code_redeem(
    *, user: AbstractBaseUser, code: str, password: str, site_id: int | None
) -> bool:
    """Set `user`'s password with one of her usable codes, once. False if the code has been used,
    withdrawn or has expired meanwhile (nothing changes then)."""
    row = AccountCode.objects.select_for_update().filter(code_hash=_hash(code), user=user).first()
    if row is None or not row.is_usable:
        return False
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    usable_codes().filter(user=user).exclude(pk=row.pk).update(withdrawn_at=now)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action=AuditLogEntry.Action.CODE_USED,
        instance=user,
        site=site_id,
        after={"purpose": row.purpose, "channel": row.channel},
    )
    return True


def people_for_reset(identifier: str) -> QuerySet:
    """Active people an e-mailed link may be sent to for what someone typed on the forgotten
    password page: her user name or her e-mail address, with an address on file."""
    identifier = identifier.strip()
    if not identifier or len(identifier) > 254:
        return User.objects.none()
    return User.objects.filter(
        Q(username=identifier) | Q(email__iexact=identifier), is_active=True
    ).exclude(email="")


@dataclass(frozen=True)
class AccountState:
    """What a coordinator needs to know to give someone a code."""

    activated: bool  # she has set a password
    has_email: bool
    last_code: AccountCode | None


def account_states(users) -> dict[int, AccountState]:
    """User id → state, for people already loaded, in one query."""
    users = list(users)
    last: dict[int, AccountCode] = {}
    for row in AccountCode.objects.filter(user__in=users).order_by("user_id", "-created_at"):
        last.setdefault(row.user_id, row)
    return {
        user.pk: AccountState(
            activated=user.has_usable_password(),
            has_email=bool(user.email),
            last_code=last.get(user.pk),
        )
        for user in users
    }
