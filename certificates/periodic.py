"""Periodic jobs of the certificates app (see lms/periodic.py)."""

from datetime import timedelta

from certificates import tasks
from lms.periodic import PeriodicJob, register

register(
    PeriodicJob(
        name="render-missing-certificate-pdfs",
        task=tasks.render_missing_certificate_pdfs.name,
        every=timedelta(minutes=5),
        description=(
            "Render the PDFs of certificates whose rendering never finished or that lack their "
            "revocation stamp, and tell their holders once."
        ),
    )
)
register(
    PeriodicJob(
        name="recover-certificate-files",
        task=tasks.recover_certificate_files.name,
        every=timedelta(days=1),
        description="Render certificates whose PDF file went missing; remove unfinished renders.",
    )
)
