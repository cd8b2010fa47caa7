"""Sheets as a trainer's device sends them, for the offline capture tests."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionDeliveryFactory


@pytest.fixture
def today_delivery(cohort_setup):
    """Today's session of the cohort, two hours ago."""
    return SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][0],
        scheduled_at=timezone.now() - dt.timedelta(hours=2),
    )


@pytest.fixture
def device_sheet():
    """device_sheet(trainer, enrollments, status="P", **fields) → the dict a device sends."""

    def build(trainer, enrollments, status="P", *, statuses=None, **fields) -> dict:
        statuses = statuses or {}
        sheet = {
            "uuid": str(uuid.uuid4()),
            "recorded_by": trainer.pk,
            "origin": "device",
            "device_time": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
            "seen_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "marks": [
                {
                    "enrollment": e.pk,
                    "uuid": str(uuid.uuid4()),
                    "status": statuses.get(e.pk, status),
                    "note": "",
                }
                for e in enrollments
            ],
        }
        sheet.update(fields)
        return sheet

    return build


@pytest.fixture
def send():
    """send(client, cohort, delivery, sheet) posts the sheet as the device's outbox does."""

    def post(client, cohort, delivery, sheet, **headers):
        body = sheet if isinstance(sheet, bytes | str) else json.dumps(sheet)
        return client.post(
            reverse("courses:attendance_sync", args=[cohort.pk, delivery.pk]),
            body,
            content_type="application/json",
            headers={"Accept": "application/json", **headers},
        )

    return post
