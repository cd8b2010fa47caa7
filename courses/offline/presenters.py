"""The JSON the device reads: the prepared bundle and the answers to a sent sheet.

Labels and dates are formatted here, in the request's language, so the device shows them as
they come; the device keeps no translations of its own beyond its interface strings."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.models import AttendanceRecord
from courses.offline.selectors import OfflineBundle
from courses.services.attendance import MarkConflict, SheetResult

STATUS_LABELS = dict(AttendanceRecord.Status.choices)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def person_name(user) -> str:
    return user.get_full_name() or user.username


def bundle_json(bundle: OfflineBundle, *, user, pages: list[str]) -> dict:
    return {
        "user": user.pk,
        "prepared_at": bundle.prepared_at.isoformat(),
        "prepared_display": _when(bundle.prepared_at),
        "cohorts": [
            {
                "id": prepared.cohort.pk,
                "name": prepared.cohort.name,
                "course": prepared.cohort.course.title,
                "place": f"{prepared.cohort.cem.name} ({prepared.cohort.cem.site.name})",
                "sessions": [
                    {
                        "delivery": s.delivery.pk,
                        "label": _("Session %(number)s: %(title)s")
                        % {"number": s.delivery.session.number, "title": s.delivery.session.title},
                        "when": _when(s.delivery.scheduled_at),
                        "scheduled_at": s.delivery.scheduled_at.isoformat(),
                        "place": s.delivery.place,
                        "code": s.code,
                        "sheet_url": s.sheet_url,
                        "guide_url": s.guide_url,
                    }
                    for s in prepared.sessions
                ],
            }
            for prepared in bundle.cohorts
        ],
        "pages": pages,
    }


def saved_json(*, status: str, result: SheetResult, receipt, message: str) -> dict:
    return {
        "status": status,
        "sheet": str(receipt.uuid),
        "created": result.created,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "received_at": receipt.received_at.isoformat(),
        "server_time": timezone.now().isoformat(),
        "message": message,
    }


def conflict_json(conflicts: list[MarkConflict]) -> dict:
    """Both versions of every disputed mark, for the device's choice screen."""
    return {
        "status": "conflict",
        "server_time": timezone.now().isoformat(),
        "message": _(
            "Someone else changed some of these marks after this device read them. "
            "Choose which version to keep for each person."
        ),
        "conflicts": [
            {
                "enrollment": c.record.enrollment_id,
                "name": person_name(c.record.enrollment.activist),
                "roster_code": c.record.enrollment.roster_code,
                "device": {
                    "status": c.status,
                    "label": STATUS_LABELS.get(c.status, c.status),
                    "note": c.note,
                },
                "server": {
                    "status": c.record.status,
                    "label": STATUS_LABELS.get(c.record.status, c.record.status),
                    "note": c.record.note,
                    "recorded_by": person_name(c.record.recorded_by),
                    "recorded_at": c.record.recorded_at.isoformat(),
                    "when": _when(c.record.recorded_at),
                },
            }
            for c in conflicts
        ],
    }
