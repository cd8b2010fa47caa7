"""Reading a sheet sent by a device: checked whole, every problem named, no database."""

import json
import uuid

import pytest
from django.utils import translation

from courses.offline.protocol import MalformedSheet, sheet_parse


def body(**changes) -> bytes:
    sheet = {
        "uuid": str(uuid.uuid4()),
        "recorded_by": 7,
        "origin": "device",
        "device_time": "2026-03-02T10:15:00.000Z",
        "seen_at": "2026-03-02T08:00:00-05:00",
        "marks": [
            {"enrollment": 41, "uuid": str(uuid.uuid4()), "status": "A", "note": " tarde "},
            {"enrollment": 42, "uuid": str(uuid.uuid4()), "status": "P"},
        ],
    }
    sheet.update(changes)
    return json.dumps(sheet).encode()


def test_a_good_sheet_is_read_with_its_marks_and_times():
    sheet = sheet_parse(body(notify=True))
    assert sheet.recorded_by == 7 and sheet.origin == "device" and sheet.notify
    assert sheet.device_time.isoformat() == "2026-03-02T10:15:00+00:00"
    assert sheet.statuses() == {41: "A", 42: "P"}
    assert sheet.notes() == {41: " tarde ", 42: ""}


def test_the_digest_ignores_mark_order_and_what_the_device_had_seen():
    raw = json.loads(body())
    digest = sheet_parse(json.dumps(raw).encode()).digest(delivery_id=3)
    raw["marks"].reverse()
    raw["seen_at"] = None
    assert sheet_parse(json.dumps(raw).encode()).digest(delivery_id=3) == digest
    raw["marks"][0]["status"] = "L"
    assert sheet_parse(json.dumps(raw).encode()).digest(delivery_id=3) != digest
    assert sheet_parse(body()).digest(delivery_id=4) != sheet_parse(body()).digest(delivery_id=3)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"uuid": "nope"}, "UUID"),
        ({"recorded_by": True}, "recorded"),
        ({"origin": "fax"}, "origin"),
        ({"device_time": "2026-03-02T10:15:00"}, "time zone"),
        ({"seen_at": 5}, "seen_at"),
        ({"marks": []}, "no marks"),
        ({"marks": [{"enrollment": 1, "status": "P"}]}, "Mark 1"),
        (
            {
                "marks": [
                    {"enrollment": 1, "uuid": str(uuid.uuid4()), "status": "P", "note": "x" * 301}
                ]
            },
            "note",
        ),
    ],
)
def test_each_problem_is_named(changes, words):
    with translation.override("en"), pytest.raises(MalformedSheet) as refused:
        sheet_parse(body(**changes))
    assert any(words in problem for problem in refused.value.problems), refused.value.problems


def test_a_person_or_a_mark_uuid_twice_is_refused():
    mark = {"enrollment": 1, "uuid": str(uuid.uuid4()), "status": "P"}
    with pytest.raises(MalformedSheet):
        sheet_parse(body(marks=[mark, dict(mark, uuid=str(uuid.uuid4()))]))
    with pytest.raises(MalformedSheet):
        sheet_parse(body(marks=[mark, dict(mark, enrollment=2)]))


@pytest.mark.parametrize("raw", [b"", b"{", b"[1]", b"\xff\xfe", b'"text"'])
def test_what_is_not_a_json_object_is_refused(raw):
    with pytest.raises(MalformedSheet):
        sheet_parse(raw)
