"""The interface strings of the device's scripts, translated by Django's catalogue and sent in
each trainer page (scripts have no catalogue of their own). `%(name)s` placeholders are filled
by the script; a plural is sent as both forms, {"one": …, "other": …}, which is all Spanish and
English need."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

STRINGS = {
    "badgeAttention": _("needs you"),
    "signOut": _("sign out"),
    "signOutOffline": _("Signing out needs a connection"),
    "signOutOfflineText": _(
        "Nothing was changed. Sign out when the phone is online again; what it keeps is wiped then."
    ),
    "forget": _("forget this device's data"),
    "stillUnsent": _("Some sheets could not be sent."),
    "syncNow": _("Sync now"),
    "keepThem": _("Keep and %(action)s"),
    "discardThem": _("Discard…"),
    "cancel": _("Cancel"),
    "goBack": _("Go back"),
    "notPrepared": _("This device is not prepared for offline use yet."),
    "preparedOn": _("Prepared on %(when)s: %(groups)s, %(sessions)s."),
    "preparedAt": _("Prepared on %(when)s."),
    "preparing": _("Preparing… keep this page open."),
    "prepareFailed": _(
        "Preparing failed (no connection, or your session ended). Nothing was changed; try again."
    ),
    "forgotten": _("This device's data was wiped. Sheets you chose to keep stay in the outbox."),
    "unsupported": _("This browser cannot keep pages for offline use."),
    "persisted": _("The browser will keep these data even when space runs short."),
    "notPersisted": _(
        "The browser may delete these data when space runs short: send the sheets soon."
    ),
    "recordedBy": _("recorded by %(name)s on %(when)s"),
    "onDevice": _("On this device"),
    "onServer": _("On the server"),
    "sendChoices": _("Send with these choices"),
    "savedOn": _("Saved on this device on %(when)s"),
    "fromPaper": _("from a paper sheet"),
    "stateWaiting": _("Waiting for a connection to be sent."),
    "stateSignIn": _("Your session ended: sign in again to send it."),
    "stateRefused": _("The server cannot save this sheet."),
    "stateConflict": _("Choose which marks to keep."),
    "signInAgain": _("Sign in again"),
    "discard": _("Discard"),
    "openSheet": _("Open the sheet"),
    "outboxEmpty": _("Nothing waits to be sent."),
    "sheetCode": _("sheet %(code)s"),
    "attendanceSheet": _("Attendance sheet"),
    "guide": _("Facilitator guide"),
    "noSessions": _("No sessions today or later."),
    "sending": _("Sending…"),
    "noConnection": _("No connection: the sheets stay on this device."),
    "quickUnknown": _("Not understood: %(tokens)s. Write a roster number, then a letter."),
    "tooEarly": _(
        "This session is on a later day: by this device's date it cannot be recorded yet."
    ),
    "keptOnDevice": _(
        "Saved on this device on %(when)s. It will be sent when there is a connection."
    ),
    "seeOutbox": _("See what waits to be sent"),
    "waitingVersion": _(
        "This sheet shows the version saved on this device on %(when)s, not sent yet."
    ),
    "notKept": _("This device could not keep the sheet. Nothing was saved."),
    "replicaKept": _(
        "Session saved on this device on %(when)s. It will be sent when there is a connection."
    ),
    "recordReplica": _("Record a session"),
}


def _forms(pick) -> dict[str, str]:
    return {"one": pick(1), "other": pick(2)}


def _plurals() -> dict[str, dict[str, str]]:
    """Each text once, inside ngettext, so that makemessages extracts both forms."""
    return {
        "badge": _forms(
            lambda n: ngettext("%(count)s sheet to send", "%(count)s sheets to send", n)
        ),
        "unsentTitle": _forms(
            lambda n: ngettext(
                "%(count)s sheet has not been sent", "%(count)s sheets have not been sent", n
            )
        ),
        "unsentText": _forms(
            lambda n: ngettext(
                "It is kept on this device. Sync it now, keep it to send it the next time "
                "you sign in on this device, or discard it. Then: %(action)s.",
                "They are kept on this device. Sync them now, keep them to send them the "
                "next time you sign in on this device, or discard them. Then: %(action)s.",
                n,
            )
        ),
        "discardTitle": _forms(
            lambda n: ngettext("Discard %(count)s sheet?", "Discard %(count)s sheets?", n)
        ),
        "discardText": _forms(
            lambda n: ngettext(
                "Its marks will never reach the server, and cannot be recovered.",
                "Their marks will never reach the server, and cannot be recovered.",
                n,
            )
        ),
        "discardConfirm": _forms(lambda n: ngettext("Discard the sheet", "Discard the sheets", n)),
        "groups": _forms(lambda n: ngettext("%(count)s group", "%(count)s groups", n)),
        "sessions": _forms(lambda n: ngettext("%(count)s session", "%(count)s sessions", n)),
        "marks": _forms(lambda n: ngettext("%(count)s person", "%(count)s people", n)),
        "otherAccounts": _forms(
            lambda n: ngettext(
                "%(count)s sheet recorded under another account waits here; it is sent "
                "only when that account signs in on this device.",
                "%(count)s sheets recorded under another account wait here; they are sent "
                "only when that account signs in on this device.",
                n,
            )
        ),
        "participants": _forms(
            lambda n: ngettext("%(count)s participant", "%(count)s participants", n)
        ),
        "communityGroups": _forms(
            lambda n: ngettext("%(count)s community group", "%(count)s community groups", n)
        ),
        "sent": _forms(lambda n: ngettext("%(count)s sheet sent.", "%(count)s sheets sent.", n)),
    }


def interface_strings() -> dict[str, object]:
    """Every string in the active language; a plural as its forms for 1 and for many."""
    return {key: str(text) for key, text in STRINGS.items()} | _plurals()
