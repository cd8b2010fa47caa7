"""offline_sheet_receive: a sheet that travelled is saved exactly once, even sent twice at once."""

import datetime as dt
import json
import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from courses.models import AttendanceRecord, SheetReceipt
from courses.offline.protocol import sheet_parse
from courses.offline.services import SheetUuidReused, offline_sheet_receive
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import person


def parsed(sheet: dict):
    return sheet_parse(json.dumps(sheet).encode())


def test_a_replay_returns_the_first_receipt_and_writes_nothing(
    cohort_setup, today_delivery, device_sheet
):
    trainer = cohort_setup["trainer"]
    sheet = parsed(device_sheet(trainer, cohort_setup["enrollments"]))
    first = offline_sheet_receive(actor=trainer, delivery=today_delivery, sheet=sheet)
    writes = AuditLogEntry.objects.count()
    second = offline_sheet_receive(actor=trainer, delivery=today_delivery, sheet=sheet)
    assert (first.replayed, second.replayed) == (False, True)
    assert second.receipt == first.receipt and second.result == first.result
    assert AuditLogEntry.objects.count() == writes


def test_another_account_cannot_claim_a_received_uuid(cohort_setup, today_delivery, device_sheet):
    trainer = cohort_setup["trainer"]
    raw = device_sheet(trainer, cohort_setup["enrollments"])
    offline_sheet_receive(actor=trainer, delivery=today_delivery, sheet=parsed(raw))
    colleague = person(Role.TRAINER, cem=cohort_setup["cem"])
    with pytest.raises(SheetUuidReused):
        offline_sheet_receive(actor=colleague, delivery=today_delivery, sheet=parsed(raw))


def test_a_sheet_saved_before_the_day_of_its_session_is_refused(
    cohort_setup, today_delivery, device_sheet
):
    trainer = cohort_setup["trainer"]
    earlier = (timezone.now() - dt.timedelta(days=3)).isoformat()
    sheet = parsed(device_sheet(trainer, cohort_setup["enrollments"], device_time=earlier))
    with pytest.raises(ValidationError) as refused:
        offline_sheet_receive(actor=trainer, delivery=today_delivery, sheet=sheet)
    assert refused.value.code == "before_session"
    assert not AttendanceRecord.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_sheet_sent_twice_at_the_same_moment_is_saved_once(
    cohort_setup, today_delivery, device_sheet
):
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the suite on PostgreSQL; this test must run there")
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    trainer = cohort_setup["trainer"]
    sheet = parsed(device_sheet(trainer, cohort_setup["enrollments"]))
    barrier = threading.Barrier(2)
    replayed, errors = [], []

    def receive() -> None:
        try:
            barrier.wait(timeout=10)
            replayed.append(
                offline_sheet_receive(actor=trainer, delivery=today_delivery, sheet=sheet).replayed
            )
        except Exception as error:  # reported below, so a failure is visible
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(replayed) == [False, True]
    assert SheetReceipt.objects.filter(uuid=sheet.uuid).count() == 1
    assert AttendanceRecord.objects.filter(delivery=today_delivery).count() == 3
