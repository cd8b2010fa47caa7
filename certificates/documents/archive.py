"""A cohort's certificates as one ZIP archive, streamed: each PDF is read from storage in turn
(rendered first if a worker has not yet done it) and never held in memory whole.

The archive holds every certificate of the cohort the user may read, revoked ones included
(their PDF carries the "revoked" stamp and their file name says so), with a short index of
what is inside. Downloading it is written to the audit log, as every export of names is."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from certificates.documents.services import certificate_pdf_ensure
from certificates.models import Certificate
from courses.models import Cohort
from lms import access
from lms.audit import audit_record
from lms.downloads import csv_document, safe_filename, spreadsheet_text, zip_stream
from lms.models import AuditLogEntry

EXPORT = "certificados.zip"


def archive_filename(cohort: Cohort) -> str:
    return safe_filename("certificados", cohort.course.code, "grupo", cohort.pk, extension="zip")


def _member_name(certificate: Certificate) -> str:
    prefix = "" if certificate.is_valid else "revocado"
    return safe_filename(prefix, certificate.full_name, certificate.code, extension="pdf")


def cohort_certificates_readable(user: AbstractBaseUser, cohort: Cohort) -> QuerySet:
    return (
        access.readable(user, Certificate)
        .filter(enrollment__cohort=cohort)
        .order_by("full_name", "pk")
    )


def _index(certificates: list[Certificate]) -> bytes:
    return csv_document(
        ["archivo", "codigo", "nombre", "estado", "emitido", "verificacion"],
        [
            [
                _member_name(c),
                c.code,
                spreadsheet_text(c.full_name),
                c.get_status_display(),
                c.issued_on.isoformat(),
                f"/verificar/{c.code}/",
            ]
            for c in certificates
        ],
    )


def _pdf_opener(certificate: Certificate):
    def open_pdf():
        return certificate_pdf_ensure(certificate).pdf.open("rb")  # rendered now if not current

    return open_pdf


def cohort_archive(*, actor: AbstractBaseUser, cohort: Cohort) -> Iterator[bytes]:
    """The ZIP of the cohort's certificates that ``actor`` may read, as a stream of chunks.
    The export is audit-logged before the first byte leaves."""
    certificates = list(cohort_certificates_readable(actor, cohort))
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=cohort,
        site=cohort.cem.site_id,
        after={"export": EXPORT, "certificates": len(certificates)},
    )
    index = _index(certificates)
    members = [("indice.csv", lambda: io.BytesIO(index))]
    members += [(_member_name(c), _pdf_opener(c)) for c in certificates]
    return zip_stream(members)
