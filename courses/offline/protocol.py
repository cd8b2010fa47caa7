"""The sheet a device sends: parsed and checked whole before anything touches the database.

    {"uuid": "…", "recorded_by": 7, "origin": "device" | "paper",
     "device_time": "2026-03-02T10:15:00Z",   # when the trainer saved it, by the device's clock
     "seen_at": "2026-03-02T08:00:00-05:00",  # server time of the copy the device showed
     "marks": [{"enrollment": 41, "uuid": "…", "status": "A", "note": ""}, …],
     "notify": true}                          # optional: a message on the next page

Pure Python, no database: `sheet_parse` returns an IncomingSheet or raises MalformedSheet with
every problem found, translated."""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

ORIGINS = ("device", "paper")
MAX_MARKS = 1000
MAX_NOTE = 300


class MalformedSheet(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class IncomingMark:
    enrollment_id: int
    uuid: uuid.UUID
    status: str
    note: str


@dataclass(frozen=True)
class IncomingSheet:
    uuid: uuid.UUID
    recorded_by: int
    origin: str
    device_time: datetime
    seen_at: datetime | None
    marks: tuple[IncomingMark, ...]
    notify: bool = False  # the trainer is waiting on screen: tell them on the next page

    def digest(self, *, delivery_id: int) -> str:
        """What identifies the content: the same UUID must always come with the same digest.
        `seen_at` is left out: it says what the device knew, not what the sheet says."""
        content = {
            "delivery": delivery_id,
            "origin": self.origin,
            "device_time": self.device_time.astimezone(UTC).isoformat(),
            "marks": sorted(
                [m.enrollment_id, str(m.uuid), m.status, m.note.strip()] for m in self.marks
            ),
        }
        encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()

    def statuses(self) -> dict[int, str]:
        return {m.enrollment_id: m.status for m in self.marks}

    def notes(self) -> dict[int, str]:
        return {m.enrollment_id: m.note for m in self.marks}

    def mark_uuids(self) -> dict[int, uuid.UUID]:
        return {m.enrollment_id: m.uuid for m in self.marks}


def _uuid(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _marks(raw: object, problems: list[str]) -> tuple[IncomingMark, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(_("The sheet has no marks."))
        return ()
    if len(raw) > MAX_MARKS:
        problems.append(_("The sheet has more marks than a group can hold."))
        return ()
    marks, enrollments, uuids = [], set(), set()
    for position, item in enumerate(raw, start=1):
        mark_uuid = _uuid(item.get("uuid")) if isinstance(item, dict) else None
        enrollment = item.get("enrollment") if isinstance(item, dict) else None
        status = item.get("status") if isinstance(item, dict) else None
        note = item.get("note", "") if isinstance(item, dict) else None
        if not _is_id(enrollment) or mark_uuid is None or not isinstance(status, str):
            problems.append(
                _("Mark %(position)s needs an enrollment, a UUID and a status.")
                % {"position": position}
            )
            continue
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            problems.append(
                _("The note of mark %(position)s must be text of at most %(max)s characters.")
                % {"position": position, "max": MAX_NOTE}
            )
            continue
        if enrollment in enrollments or mark_uuid in uuids:
            problems.append(
                _("Mark %(position)s repeats a person or a UUID of the sheet.")
                % {"position": position}
            )
            continue
        enrollments.add(enrollment)
        uuids.add(mark_uuid)
        marks.append(IncomingMark(enrollment, mark_uuid, status, note))
    return tuple(marks)


def sheet_parse(body: bytes) -> IncomingSheet:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise MalformedSheet([_("The sheet is not valid JSON.")]) from None
    if not isinstance(data, dict):
        raise MalformedSheet([_("The sheet must be a JSON object.")])
    problems: list[str] = []
    sheet_uuid = _uuid(data.get("uuid"))
    if sheet_uuid is None:
        problems.append(_("The sheet needs a UUID."))
    recorded_by = data.get("recorded_by")
    if not _is_id(recorded_by):
        problems.append(_("The sheet must say who recorded it."))
    origin = data.get("origin", "device")
    if origin not in ORIGINS:
        problems.append(_("The origin of the sheet must be “device” or “paper”."))
    device_time = _time(data.get("device_time"))
    if device_time is None:
        problems.append(_("The sheet needs the device's date and time, with its time zone."))
    seen_at = None
    if data.get("seen_at") is not None:
        seen_at = _time(data["seen_at"])
        if seen_at is None:
            problems.append(_("“seen_at” must be a date and time with its time zone."))
    marks = _marks(data.get("marks"), problems)
    if problems:
        raise MalformedSheet(problems)
    return IncomingSheet(
        uuid=sheet_uuid,
        recorded_by=recorded_by,
        origin=origin,
        device_time=device_time,
        seen_at=seen_at,
        marks=marks,
        notify=data.get("notify") is True,
    )
