"""Recovery: revoked certificates get their stamp, lost files come back, a dead render leaves
nothing half-written, holders are told once, and issuing never waits for a broker that is down."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from certificates.documents.recovery import certificates_recover
from certificates.documents.services import TEMPORARY_PREFIX, pending_certificates
from certificates.issuance.services import certificate_revoke, certificates_issue
from certificates.models import Certificate
from lms.celery import app
from lms.tasks import broker_reachable, forget_broker_verdict
from tests.helpers import pdf_text


def stored(certificate) -> Path:
    certificate.refresh_from_db()
    assert certificate.pdf.name
    return Path(settings.MEDIA_ROOT) / certificate.pdf.name


def aged(*certificates) -> None:
    """Older than the grace a certificate's own rendering task gets."""
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )


@pytest.fixture
def broker_down():
    """Tasks that would go to a broker nobody listens to (Redis stopped)."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:9/0", False
    forget_broker_verdict()
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        yield
    app.conf.broker_url, app.conf.task_always_eager = previous
    forget_broker_verdict()


def test_a_certificate_revoked_while_no_worker_ran_gets_its_stamp(
    issued, broker_down, django_capture_on_commit_callbacks
):
    certificate = issued["certificates"][0]
    before = stored(certificate).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(actor=issued["trainer"], certificate=certificate, reason="Error")
    certificate.refresh_from_db()
    assert certificate.pdf_status == "valid" and stored(certificate).read_bytes() == before
    assert list(pending_certificates()) == [certificate]

    aged(certificate)
    recovery = certificates_recover()
    assert recovery.rendered == 1
    certificate.refresh_from_db()
    assert certificate.pdf_status == "revoked"
    text, _reader = pdf_text(stored(certificate).read_bytes())
    assert "REVOCADO" in text.upper()
    assert certificates_recover().rendered == 0  # idempotent


def test_a_lost_file_is_rendered_again_by_the_download_and_by_the_recovery(client, issued):
    first, second = issued["certificates"]
    for certificate in (first, second):
        stored(certificate).unlink()
    client.force_login(first.enrollment.activist)
    response = client.get(f"/certificados/{first.code}/pdf/")
    assert response.status_code == 200
    assert first.full_name in pdf_text(b"".join(response.streaming_content))[0]

    aged(second)
    assert certificates_recover().rendered == 0  # the quick run does not look at the storage
    recovery = certificates_recover(check_files=True)
    assert (recovery.rendered, recovery.missing_files) == (1, 1)
    assert stored(second).exists()


def test_a_render_writes_in_one_step_and_a_dead_ones_leftovers_go(issued):
    certificate = issued["certificates"][0]
    folder = stored(certificate).parent
    assert not [p for p in os.listdir(folder) if p.startswith(TEMPORARY_PREFIX)]
    dead = folder / f"{TEMPORARY_PREFIX}abc123.pdf"  # what a worker killed mid-render leaves
    dead.write_bytes(b"%PDF-1.4 half")
    fresh = folder / f"{TEMPORARY_PREFIX}def456.pdf"  # a render still running
    fresh.write_bytes(b"%PDF-1.4 half")
    old = time.time() - 3600
    os.utime(dead, (old, old))
    assert certificates_recover().removed_temporary == 1
    assert not dead.exists() and fresh.exists()
    names = {Path(c.pdf.name).name for c in Certificate.objects.all()}
    assert names == {f"certificado-{c.code}.pdf" for c in issued["certificates"]}


def test_holders_are_told_once_even_after_a_recovery(issued, broker_down):
    assert len(mail.outbox) == 2  # the two certificates issued with a working queue
    Certificate.objects.update(pdf="", pdf_status="", notified_at=None)
    aged(*issued["certificates"])
    mail.outbox.clear()
    assert certificates_recover().notified == 2
    assert certificates_recover().notified == 0
    call_command("render_pending_certificates", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        c.enrollment.activist.email for c in issued["certificates"]
    )


def test_issuing_with_the_broker_down_writes_the_rows_and_waits_for_nothing(
    cohort_setup, course, broker_down, caplog, django_capture_on_commit_callbacks
):
    from tests.factories import EnrollmentFactory, SessionPageFactory, hold_sessions

    cohort = cohort_setup["cohort"]
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(5, 8)]
    people = [EnrollmentFactory(cohort=cohort) for _ in range(12)]
    marks = {p: list("PPPPPPP") for p in people} | {
        e: list("AAAAAAA") for e in cohort_setup["enrollments"]
    }
    hold_sessions(cohort, cohort_setup["sessions"] + sessions, marks, days_ago_start=60)
    with (
        caplog.at_level("WARNING", logger="lms.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        issued = certificates_issue(actor=None, cohort=cohort)
    assert len(issued) == 12
    assert Certificate.objects.filter(pdf="").count() == 12
    assert not broker_reachable()
    assert sum("stays pending" in r.getMessage() for r in caplog.records) == 12

    aged(*issued)
    assert certificates_recover().rendered == 12
    assert not pending_certificates().exists()


def test_the_cohort_page_says_the_pdfs_will_follow_until_they_come(
    client, cohort_setup, course, broker_down, django_capture_on_commit_callbacks
):
    from lms.roles import Role
    from tests.factories import EnrollmentFactory, SessionPageFactory, hold_sessions, person

    cohort = cohort_setup["cohort"]
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(5, 8)]
    people = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    marks = {p: list("PPPPPPP") for p in people} | {
        e: list("AAAAAAA") for e in cohort_setup["enrollments"]
    }
    hold_sessions(cohort, cohort_setup["sessions"] + sessions, marks, days_ago_start=60)
    client.force_login(person(Role.COORDINATOR, site_=cohort_setup["cem"].site))
    url = f"/grupos/{cohort.pk}/certificados/"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"action": "issue"}, follow=True).content.decode()
    assert "Se emitieron 3 certificados; sus PDF llegarán después." in page
    assert "3 PDF aún se están preparando" in page
    assert "Los certificados ya son válidos y se pueden verificar." in page
    certificate = Certificate.objects.filter(enrollment__cohort=cohort).first()
    assert certificate.pdf == ""
    assert client.get(f"/verificar/{certificate.code}/").status_code == 200

    aged(*Certificate.objects.filter(enrollment__cohort=cohort))
    assert certificates_recover().rendered == 3
    assert "aún se están preparando" not in client.get(url).content.decode()
    assert "aún se está preparando" not in client.get(url).content.decode()
