"""A certificate's PDF, rendered from its frozen row, and the e-mail that tells its holder.

Both run in Celery tasks (see :mod:`certificates.tasks`), in downloads that find no current
PDF, and in the recovery (:mod:`certificates.documents.recovery`); neither queues anything.
A render writes its file in one step and records the status it shows; the e-mail leaves once.
"""

import contextlib
import os
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.documents.certificate import CertificateContent, CertificatePdfRenderer
from certificates.models import Certificate, PortableCredential
from certificates.verification.services import verification_url

TEMPORARY_PREFIX = ".tmp-render-"


def certificate_content(certificate: Certificate) -> CertificateContent:
    """What the PDF shows, from the frozen row only."""
    return CertificateContent(
        full_name=certificate.full_name,
        participant_code=certificate.participant_code,
        course_title=certificate.course_title,
        course_code=certificate.course_code,
        curriculum_version=certificate.curriculum_version,
        credit_hours=certificate.credit_hours,
        accrediting_institution=certificate.accrediting_institution,
        issuer=certificate.issuer,
        site_name=certificate.site_name,
        cem_name=certificate.cem_name,
        cohort_start=certificate.cohort_start,
        cohort_end=certificate.cohort_end,
        issued_on=certificate.issued_on,
        signatories=tuple(tuple(s) for s in certificate.signatories),
        verification_code=certificate.code,
        verification_url=verification_url(certificate.code),
        language=certificate.language,
        status=certificate.status,
        name_withheld=certificate_name_withheld(certificate),
    )


def _store_atomically(certificate: Certificate, filename: str, data: bytes) -> str:
    """Write the PDF under its final name in one step: on disk to a temporary name in the same
    folder, then renamed over the final one, so that a worker killed mid-render leaves no
    half-written certificate (only a temporary file the recovery removes); an object store
    writes a whole object at once."""
    storage = certificate.pdf.storage
    name = certificate.pdf.field.generate_filename(certificate, filename)
    try:
        final = storage.path(name)
    except NotImplementedError:  # an object store: each save is already whole
        old = certificate.pdf.name
        stored = storage.save(name, ContentFile(data))
        if old and old != stored and storage.exists(old):
            storage.delete(old)
        return stored
    folder = os.path.dirname(final)
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX, suffix=".pdf")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if certificate.pdf.name and certificate.pdf.name != name:
        with contextlib.suppress(FileNotFoundError):
            storage.delete(certificate.pdf.name)
    return name


def certificate_name_withheld(certificate: Certificate) -> bool:
    """Whether the holder's name is withheld at her request: her credential says so (see
    :func:`certificates.credentials.services.portable_credential_withhold_name`)."""
    return PortableCredential.objects.filter(
        certificate=certificate, name_withheld_at__isnull=False
    ).exists()


def certificate_render(*, certificate_id: int) -> bool:
    """Render the PDF from the row (with its current status) into media storage. Returns
    whether its holder is still to be told (a valid certificate nobody announced yet)."""
    certificate = Certificate.objects.get(pk=certificate_id)
    filename, _mimetype, data = CertificatePdfRenderer().render(certificate_content(certificate))
    certificate.pdf.name = _store_atomically(certificate, filename, data)
    certificate.rendered_at = timezone.now()
    certificate.pdf_status = certificate.status
    certificate.save(update_fields=["pdf", "rendered_at", "pdf_status"])
    return certificate.is_valid and certificate.notified_at is None


def certificate_pdf_current(certificate: Certificate) -> bool:
    """Whether the stored PDF exists and shows the certificate as it is (stamped if revoked)."""
    return (
        bool(certificate.pdf)
        and certificate.pdf_status == certificate.status
        and certificate.pdf.storage.exists(certificate.pdf.name)
    )


def certificate_pdf_ensure(certificate: Certificate) -> Certificate:
    """The certificate with a current PDF, rendered now if a worker was late, the file went
    missing or it still lacks the revocation stamp."""
    if not certificate_pdf_current(certificate):
        certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db(fields=["pdf", "rendered_at", "pdf_status"])
    return certificate


@transaction.atomic
def certificate_notify(*, certificate_id: int) -> None:
    """E-mail the activist the link to their certificate and its verification page, once."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("enrollment__activist")
        .get(pk=certificate_id)
    )
    email = certificate.enrollment.activist.email
    if certificate.notified_at is not None or not certificate.is_valid or not certificate.pdf:
        return
    certificate.notified_at = timezone.now()
    certificate.save(update_fields=["notified_at"])
    if not email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your certificate: %(course)s") % {"course": certificate.course_title}
        body = _(
            "Hello %(name)s,\n\nYour certificate for “%(course)s” (%(hours)s credit hours) is "
            "ready. Download it from %(mine)s\n\nAnyone can check it at %(verify)s\n"
        ) % {
            "name": certificate.full_name,
            "course": certificate.course_title,
            "hours": certificate.credit_hours,
            "mine": settings.BASE_URL + reverse("certificates:mine"),
            "verify": verification_url(certificate.code),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def pending_certificates():
    """Certificates whose PDF is missing or shows another status than theirs (a revocation
    whose stamp never got rendered): found in one query, without touching the storage."""
    return Certificate.objects.filter(Q(pdf="") | ~Q(pdf_status=F("status")))
