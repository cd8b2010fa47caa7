"""Periodic jobs of the certificates app (see lms/periodic.py)."""

from datetime import timedelta

from certificates import tasks
from lms.periodic import PeriodicJob, register

register(
    PeriodicJob(
        name="render-missing-certificate-pdfs",
        task=tasks.render_missing_certificate_pdfs.name,
        every=timedelta(minutes=15),
        description="Render the PDFs of certificates whose rendering never finished.",
    )
)
