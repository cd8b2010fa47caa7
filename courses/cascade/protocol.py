"""A replica session as it reaches the server: from the form on screen or from a device's outbox.

The device sends ``multipart/form-data`` with a ``replica`` part holding JSON and an optional
``photo`` file (IndexedDB keeps the photo as a Blob until then)::

    {"uuid": "…", "recorded_by": 7, "device_time": "2026-03-02T10:15:00Z",
     "held_on": "2026-03-01", "duration_minutes": 90, "place": "Local comunal",
     "sessions": [12, 13], "counts": {"women_18_29": 6, "first_women_18_29": 2, …},
     "attendees": ["…"], "notes": ""}

Pure Python: :func:`replica_parse` returns a :class:`ReplicaInput` or raises
:class:`MalformedReplica` listing every problem of form (types, missing keys); the rules about
content (dates, counts, sessions of the course) are the service's."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from courses.cascade.bands import COUNT_FIELDS, FIRST_FIELDS

MAX_ATTENDEES = 500
MAX_NAME = 200
MAX_NOTES = 2000
MAX_PLACE = 200


class MalformedReplica(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ReplicaInput:
    """Everything a replica session says, checked for form but not yet for content."""

    uuid: uuid.UUID
    held_on: date
    duration_minutes: int
    place: str
    session_ids: tuple[int, ...]
    counts: dict[str, int]  # every field of bands.COUNT_FIELDS and FIRST_FIELDS
    attendees: tuple[str, ...] = ()
    notes: str = ""
    photo: bytes | None = None  # as uploaded; the service cleans it
    origin: str = ""  # "device" when it came from the outbox
    device_time: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def digest(self, *, group_id: int) -> str:
        """What identifies the content: the same UUID must always come with the same digest."""
        content = {
            "group": group_id,
            "held_on": self.held_on.isoformat(),
            "duration": self.duration_minutes,
            "place": self.place.strip(),
            "sessions": sorted(self.session_ids),
            "counts": {key: self.counts.get(key, 0) for key in (*COUNT_FIELDS, *FIRST_FIELDS)},
            "attendees": [name.strip() for name in self.attendees],
            "notes": self.notes.strip(),
            "photo": hashlib.sha256(self.photo).hexdigest() if self.photo else "",
            "device_time": self.device_time.astimezone(UTC).isoformat() if self.device_time else "",
        }
        encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(data: dict, key: str, limit: int, problems: list[str], label: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        problems.append(
            _("“%(field)s” must be text of at most %(max)s characters.")
            % {"field": label, "max": limit}
        )
        return ""
    return value


def replica_parse(body: bytes | str, *, photo: bytes | None = None) -> tuple[ReplicaInput, int]:
    """The replica and the id of the account that recorded it, or MalformedReplica."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError):
        raise MalformedReplica([_("The replica session is not valid JSON.")]) from None
    if not isinstance(data, dict):
        raise MalformedReplica([_("The replica session must be a JSON object.")])
    problems: list[str] = []
    try:
        replica_uuid = uuid.UUID(str(data.get("uuid")))
    except ValueError:
        replica_uuid = None
        problems.append(_("The replica session needs a UUID."))
    recorded_by = data.get("recorded_by")
    if not _is_count(recorded_by) or recorded_by <= 0:
        problems.append(_("The replica session must say who recorded it."))
    device_time = None
    if isinstance(data.get("device_time"), str):
        device_time = parse_datetime(data["device_time"])
    if device_time is None or device_time.tzinfo is None:
        problems.append(_("The replica session needs the device's date and time, with its zone."))
    held_on = parse_date(data["held_on"]) if isinstance(data.get("held_on"), str) else None
    if held_on is None:
        problems.append(_("The replica session needs its date (YYYY-MM-DD)."))
    duration = data.get("duration_minutes")
    if not _is_count(duration):
        problems.append(_("The duration must be a whole number of minutes."))
    sessions = data.get("sessions")
    if not isinstance(sessions, list) or not all(_is_count(s) for s in sessions):
        problems.append(_("The curriculum sessions must be a list of ids."))
        sessions = []
    counts = data.get("counts")
    if not isinstance(counts, dict) or not all(_is_count(v) for v in counts.values()):
        problems.append(_("The counts must be whole numbers."))
        counts = {}
    unknown = set(counts) - set(COUNT_FIELDS) - set(FIRST_FIELDS)
    if unknown:
        problems.append(_("Unknown counts: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    attendees = data.get("attendees", [])
    if (
        not isinstance(attendees, list)
        or len(attendees) > MAX_ATTENDEES
        or not all(isinstance(a, str) and len(a) <= MAX_NAME for a in attendees)
    ):
        problems.append(_("The attendance list must be a list of names."))
        attendees = []
    place = _text(data, "place", MAX_PLACE, problems, _("place"))
    notes = _text(data, "notes", MAX_NOTES, problems, _("notes"))
    if problems:
        raise MalformedReplica(problems)
    replica = ReplicaInput(
        uuid=replica_uuid,
        held_on=held_on,
        duration_minutes=duration,
        place=place,
        session_ids=tuple(dict.fromkeys(sessions)),
        counts={key: counts.get(key, 0) for key in (*COUNT_FIELDS, *FIRST_FIELDS)},
        attendees=tuple(a.strip() for a in attendees if a.strip()),
        notes=notes,
        photo=photo,
        origin="device",
        device_time=device_time,
    )
    return replica, recorded_by
