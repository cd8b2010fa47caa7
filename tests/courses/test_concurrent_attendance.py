"""Nine trainers' devices save attendance sheets at the same moment: every save succeeds and
nothing is lost (on PostgreSQL, the suite also runs this on SQLite: tests/test_embedded_default).

Each thread is a device with its own session and database connection, posting through the
real view. Three devices share each site's session, so saves of one sheet contend for the
same rows while the other sites' saves contend for the database (SQLite's single writer).
"""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from courses.models import AttendanceRecord, SessionDelivery
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    SessionPageFactory,
    person,
    site,
)

SITES = ("villa-maria-del-triunfo", "arequipa", "iquitos")
DEVICES_PER_SITE = 3
ROSTER = 12
SAVES_PER_DEVICE = 2
STATUSES = "PLEA"


def device_sheet(enrollments, device: int, save: int) -> dict[str, str]:
    """Each device and save marks the roster differently, so a mix of two sheets shows."""
    return {
        f"status-{e.pk}": STATUSES[(position + device + save) % len(STATUSES)]
        for position, e in enumerate(enrollments)
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nine_devices_saving_at_once_lose_no_mark(course):
    session = SessionPageFactory(parent=course, number=1)
    devices = []  # (client, sheet url, enrollments, device number)
    for slug in SITES:
        cem = CEMFactory(site=site(slug), name=f"CEM {slug}")
        trainers = [person(Role.TRAINER, cem=cem) for _ in range(DEVICES_PER_SITE)]
        cohort = CohortFactory(course=course, cem=cem, trainers=trainers)
        enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(ROSTER)]
        delivery = SessionDeliveryFactory(cohort=cohort, session=session)
        url = reverse("courses:attendance_sheet", args=[cohort.pk, delivery.pk])
        for number, trainer in enumerate(trainers):
            client = Client()
            client.force_login(trainer)
            devices.append((client, url, enrollments, number))
    connections.close_all()

    barrier = threading.Barrier(len(devices))
    answers: list[tuple[str, int, int, int]] = []
    errors: list[BaseException] = []

    def work(client, url, enrollments, number) -> None:
        try:
            barrier.wait(timeout=30)
            for save in range(SAVES_PER_DEVICE):
                opened = client.get(url)
                saved = client.post(url, device_sheet(enrollments, number, save))
                answers.append((url, number, opened.status_code, saved.status_code))
        except BaseException as error:  # reported below, so that a failure is visible
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=device) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert len(answers) == len(devices) * SAVES_PER_DEVICE
    assert {(opened, saved) for _url, _n, opened, saved in answers} == {(200, 302)}
    for slug in SITES:
        delivery = SessionDelivery.objects.get(cohort__cem__site__slug=slug)
        assert delivery.status == SessionDelivery.Status.HELD
        records = {r.enrollment_id: r.status for r in delivery.attendance.all()}
        enrollments = list(delivery.cohort.enrollments.order_by("pk"))
        assert set(records) == {e.pk for e in enrollments}  # one record each, none twice
        # The stored sheet is one device's whole sheet, never a mix of two.
        submitted = [
            {int(k.split("-")[1]): v for k, v in device_sheet(enrollments, n, s).items()}
            for n in range(DEVICES_PER_SITE)
            for s in range(SAVES_PER_DEVICE)
        ]
        assert records in submitted
    created = AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.CREATE, content_type__model="attendancerecord"
    )
    assert created.count() == AttendanceRecord.objects.count() == len(SITES) * ROSTER
