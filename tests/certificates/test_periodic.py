"""The periodic job renders certificates an outage left without a PDF, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates.documents.recovery import RENDER_GRACE
from certificates.issuance.services import certificates_issue
from certificates.models import Certificate
from tests.factories import EnrollmentFactory, hold_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(cohort_setup):
    """Three certificates issued; their rendering tasks never ran (the broker was down)."""
    cohort = cohort_setup["cohort"]
    people = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    marks = {p: list("PPPP") for p in people} | {
        e: list("AAAA") for e in cohort_setup["enrollments"]
    }
    hold_sessions(cohort, cohort_setup["sessions"], marks, days_ago_start=40)
    certificates_issue(actor=None, cohort=cohort)  # on-commit tasks never run in this test
    assert Certificate.objects.filter(pdf="").count() == 3
    return Certificate.objects.all()


def test_renders_missing_pdfs_once_and_a_second_run_changes_nothing(pending, capsys):
    pending.update(created_at=timezone.now() - RENDER_GRACE - timedelta(minutes=1))
    call_command("run_periodic", job=["render-missing-certificate-pdfs"])
    assert "render-missing-certificate-pdfs: done: 3" in capsys.readouterr().out
    assert not Certificate.objects.filter(pdf="").exists()
    rendered = {c.pk: (c.pdf.name, c.rendered_at) for c in Certificate.objects.all()}
    assert len(mail.outbox) == 3

    call_command("run_periodic", job=["render-missing-certificate-pdfs"])
    assert "render-missing-certificate-pdfs: done: 0" in capsys.readouterr().out
    assert {c.pk: (c.pdf.name, c.rendered_at) for c in Certificate.objects.all()} == rendered
    assert len(mail.outbox) == 3


def test_a_certificate_just_issued_is_left_to_its_own_task(pending, capsys):
    call_command("run_periodic", job=["render-missing-certificate-pdfs"])
    assert "render-missing-certificate-pdfs: done: 0" in capsys.readouterr().out
    assert Certificate.objects.filter(pdf="").count() == 3
