"""What signing in holds about a person (her one-time codes, the throttle's records of failed
sign-ins under her user name) and how it is erased. Her sign-in entries in the audit log are
entries about her account: the audit part shows them to her and pseudonymises them. See
:mod:`lms.datarights.registry`."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _

from lms.datarights.registry import Erasure, PersonalData, register
from lms.datarights.subject import Subject
from lms.models import AccountCode


def _codes(subject: Subject) -> list[dict]:
    return [
        {
            "purpose": code.get_purpose_display(),
            "channel": code.get_channel_display(),
            "created_at": code.created_at,
            "sent_at": code.sent_at,
            "expires_at": code.expires_at,
            "used_at": code.used_at,
            "withdrawn_at": code.withdrawn_at,
        }
        for code in AccountCode.objects.filter(user=subject.user).order_by("created_at", "pk")
    ]


def _codes_erase(erasure: Erasure) -> dict[str, int]:
    """A code left unused would let someone set a password on the erased account."""
    deleted, _per_model = AccountCode.objects.filter(user=erasure.subject.user).delete()
    return {"account_codes": deleted}


register(
    PersonalData(
        key="lms.account_codes",
        title=_("One-time codes to set your password"),
        order=110,
        fields={
            "purpose": _("Purpose"),
            "channel": _("Channel"),
            "created_at": _("Created at"),
            "sent_at": _("Sent at"),
            "expires_at": _("Expires at"),
            "used_at": _("Used at"),
            "withdrawn_at": _("Withdrawn at"),
        },
        collect=_codes,
        erase=_codes_erase,
        note=_("The codes themselves are not kept, only a hash that recognises them."),
    )
)

_THROTTLE = (AccessAttempt, AccessFailureLog, AccessLog)


def _throttle(subject: Subject) -> list[dict]:
    records = []
    for model in _THROTTLE:
        for row in model.objects.filter(username=subject.username).order_by("pk"):
            records.append(
                {
                    "when": getattr(row, "attempt_time", None),
                    "address": row.ip_address or "",
                    "browser": row.user_agent or "",
                    "failures": getattr(row, "failures_since_start", None),
                }
            )
    return records


def _throttle_erase(erasure: Erasure) -> dict[str, int]:
    """The throttle's records name her user name and addresses; they only serve to pause
    guessing, so they go."""
    username = erasure.subject.username
    return {
        model._meta.model_name: model.objects.filter(username=username).delete()[0]
        for model in _THROTTLE
    }


register(
    PersonalData(
        key="lms.sign_in_throttle",
        title=_("Failed sign-ins kept to stop password guessing"),
        order=120,
        fields={
            "when": _("When"),
            "address": _("Address"),
            "browser": _("Browser"),
            "failures": _("Failed tries"),
        },
        collect=_throttle,
        erase=_throttle_erase,
    )
)
