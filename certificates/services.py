"""Issuing, rendering and revoking certificates. Rows first, PDFs after commit."""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.models import Certificate, VerificationLookup
from certificates.rendering import CertificateContent, CertificatePdfRenderer
from certificates.selectors import cohort_eligibility
from courses.models import Cohort, Enrollment
from lms.audit import audit_entry, audit_record, model_snapshot
from lms.codes import readable_code
from lms.models import AuditLogEntry

logger = logging.getLogger(__name__)

ISSUER = "Programa de formación de activistas de los Centros Emergencia Mujer"
DEFAULT_SIGNATORIES = [
    ["Coordinación nacional del programa", "Centros Emergencia Mujer"],
    ["Coordinación académica", "Institución que acredita"],
]
LOOKUP_WINDOW = timedelta(minutes=10)
LOOKUPS_PER_WINDOW = 30


def certificate_code_generate() -> str:
    """16 symbols from a 27-symbol alphabet in four groups: about 76 bits, read aloud easily."""
    return readable_code(groups=4)


def verification_path(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("certificates:verify", args=[code])


def verification_url(code: str) -> str:
    return settings.BASE_URL + verification_path(code)


def _frozen_certificate(enrollment: Enrollment, actor: AbstractBaseUser | None) -> Certificate:
    cohort, activist = enrollment.cohort, enrollment.activist
    course = cohort.course
    return Certificate(
        enrollment=enrollment,
        code=certificate_code_generate(),
        full_name=activist.get_full_name() or activist.username,
        participant_code=activist.profile.participant_code,
        course_title=course.title,
        course_code=course.code,
        curriculum_version=course.curriculum_version,
        credit_hours=course.credit_hours,
        accrediting_institution=course.accrediting_institution,
        issuer=ISSUER,
        site_name=cohort.cem.site.name,
        cem_name=cohort.cem.name,
        cohort_start=cohort.start_date,
        cohort_end=cohort.end_date,
        issued_on=timezone.localdate(),
        signatories=[
            DEFAULT_SIGNATORIES[0],
            [course.accrediting_institution, "Coordinación académica"],
        ],
        language="es",
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _enqueue_rendering(certificate_ids: list[int]) -> None:
    """After commit, queue one rendering task per certificate. If the broker cannot be reached
    the rows are safe: `render_pending_certificates` renders whatever has no PDF."""
    from certificates.tasks import render_certificate_pdf

    def enqueue() -> None:
        for certificate_id in certificate_ids:
            try:
                render_certificate_pdf.apply_async(
                    (certificate_id,), retry_policy={"max_retries": 2, "interval_start": 0.2}
                )
            except render_certificate_pdf.OperationalError:
                logger.warning(
                    "Could not queue rendering of certificate %s; it stays pending.",
                    certificate_id,
                )

    transaction.on_commit(enqueue)


@transaction.atomic
def certificates_issue(
    *, actor: AbstractBaseUser | None, cohort: Cohort, enrollment_ids: list[int] | None = None
) -> list[Certificate]:
    """Issue a certificate to every eligible activist of the cohort who has none yet, or to
    the given enrollments (which may replace a revoked one). Idempotent: issuing again creates
    nothing.

    The cohort row is locked so two requests issue one after the other; the database's
    partial unique constraint is the last line of defence. PDFs are rendered by workers after
    commit; the rows exist first, so a missing PDF can always be rendered again."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    eligibility = cohort_eligibility(cohort)
    # Bulk issuance leaves a revoked certificate alone: issuing again after a revocation is a
    # deliberate, individual decision.
    chosen = [
        e
        for e in eligibility
        if e.eligible
        and not (e.certificate and (e.certificate.is_valid or enrollment_ids is None))
        and (enrollment_ids is None or e.enrollment.pk in enrollment_ids)
    ]
    if enrollment_ids is not None and len(chosen) != len(enrollment_ids):
        refused = [e for e in eligibility if e.enrollment.pk in enrollment_ids and not e.eligible]
        if refused:
            raise ValidationError(
                [
                    _("%(name)s is not eligible yet: %(reasons)s")
                    % {
                        "name": e.enrollment.activist.get_full_name(),
                        "reasons": " ".join(e.reasons),
                    }
                    for e in refused
                ]
            )
    if not chosen:
        return []
    new = [_frozen_certificate(e.enrollment, actor) for e in chosen]
    try:
        with transaction.atomic():
            Certificate.objects.bulk_create(new)
    except IntegrityError:
        # Another transaction issued some of them first: issue only what is still missing.
        taken = set(
            Certificate.objects.filter(
                enrollment__in=[e.enrollment for e in chosen], status=Certificate.Status.VALID
            ).values_list("enrollment_id", flat=True)
        )
        new = [c for c in new if c.enrollment_id not in taken]
        Certificate.objects.bulk_create(new)
    created = list(Certificate.objects.filter(code__in=[c.code for c in new]))
    today = timezone.localdate()
    completing = [e.enrollment for e in chosen if e.enrollment.status == Enrollment.Status.ENROLLED]
    entries = [
        audit_entry(
            actor=actor,
            action=AuditLogEntry.Action.CREATE,
            instance=c,
            site=cohort.cem.site_id,
            after=model_snapshot(c, exclude=("pdf", "rendered_at")),
        )
        for c in created
    ]
    for enrollment in completing:
        before = model_snapshot(enrollment)
        enrollment.status, enrollment.completed_on = Enrollment.Status.COMPLETED, today
        entries.append(
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.UPDATE,
                instance=enrollment,
                site=cohort.cem.site_id,
                before=before,
                after=model_snapshot(enrollment),
            )
        )
    Enrollment.objects.bulk_update(completing, ["status", "completed_on"])
    AuditLogEntry.objects.bulk_create(entries)
    _enqueue_rendering([c.pk for c in created])
    return created


@transaction.atomic
def cohort_close(*, actor: AbstractBaseUser | None, cohort: Cohort) -> list[Certificate]:
    """Close a cohort and issue, in bulk, the certificates its eligible activists earned."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.CLOSED:
        before = model_snapshot(cohort)
        cohort.status = Cohort.Status.CLOSED
        cohort.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE,
            instance=cohort,
            site=cohort.cem.site_id,
            before=before,
            after=model_snapshot(cohort),
        )
    return certificates_issue(actor=actor, cohort=cohort)


@transaction.atomic
def certificate_revoke(
    *, actor: AbstractBaseUser, certificate: Certificate, reason: str
) -> Certificate:
    """Revoke with a reason. The record stays; verification and the badge say "revoked"."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    before = model_snapshot(certificate, exclude=("pdf", "rendered_at"))
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = actor
    certificate.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=certificate,
        site=certificate.enrollment.cohort.cem.site_id,
        before=before,
        after=model_snapshot(certificate, exclude=("pdf", "rendered_at")),
    )
    _enqueue_rendering([certificate.pk])  # the PDF gets the "revoked" stamp
    return certificate


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


@dataclass(frozen=True)
class Lookup:
    certificate: Certificate | None
    limited: bool


def client_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def verification_lookup(*, code: str, client_address: str) -> Lookup:
    """Find a certificate by code, log the visit and rate-limit per client address."""
    digest = client_hash(client_address or "unknown")
    since = timezone.now() - LOOKUP_WINDOW
    if VerificationLookup.objects.filter(client_hash=digest, at__gte=since).count() >= (
        LOOKUPS_PER_WINDOW
    ):
        return Lookup(certificate=None, limited=True)
    normalised = code.strip().upper().replace(" ", "")[:40]
    certificate = Certificate.objects.filter(code=normalised).first()
    VerificationLookup.objects.create(
        code_tried=normalised, certificate=certificate, client_hash=digest
    )
    return Lookup(certificate=certificate, limited=False)
