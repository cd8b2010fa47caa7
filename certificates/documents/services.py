"""A certificate's PDF, rendered from its frozen row, and the e-mail that tells its holder.

Both run in Celery tasks (see :mod:`certificates.tasks`) and from the catch-up command
``render_pending_certificates``; neither queues anything.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.documents.certificate import CertificateContent, CertificatePdfRenderer
from certificates.models import Certificate
from certificates.verification.services import verification_url


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
    )


def certificate_render(*, certificate_id: int) -> bool:
    """Render the PDF into media storage; returns True the first time a PDF is stored."""
    certificate = Certificate.objects.get(pk=certificate_id)
    filename, _mimetype, data = CertificatePdfRenderer().render(certificate_content(certificate))
    first_time = not certificate.pdf
    if certificate.pdf:
        certificate.pdf.delete(save=False)
    certificate.pdf.save(filename, ContentFile(data), save=False)
    certificate.rendered_at = timezone.now()
    certificate.save(update_fields=["pdf", "rendered_at"])
    return first_time


def certificate_notify(*, certificate_id: int) -> None:
    """E-mail the activist the link to their certificate and its verification page."""
    certificate = Certificate.objects.select_related("enrollment__activist").get(pk=certificate_id)
    email = certificate.enrollment.activist.email
    if not email or not certificate.is_valid:
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
    return Certificate.objects.filter(pdf="")
