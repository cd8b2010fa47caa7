"""Issuing, closing and revoking: rows first, then their PDFs, queued after commit.

The PDF and the e-mail are the documents' job (:mod:`certificates.documents`), run by the
tasks in :mod:`certificates.tasks`, which never call back into this module."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.credentials.services import issuer_name, portable_credentials_issue
from certificates.credentials.status_list import status_list_changed
from certificates.issuance.selectors import cohort_eligibility
from certificates.models import Certificate
from certificates.tasks import render_certificate_pdf
from courses.models import Cohort, Enrollment
from lms.audit import audit_entry, audit_record, model_snapshot
from lms.codes import readable_code
from lms.models import AuditLogEntry

ISSUER = "Programa de formación de activistas de los Centros Emergencia Mujer"
DEFAULT_SIGNATORIES = [
    ["Coordinación nacional del programa", "Centros Emergencia Mujer"],
    ["Coordinación académica", "Institución que acredita"],
]


def certificate_code_generate() -> str:
    """16 symbols from a 27-symbol alphabet in four groups: about 76 bits, read aloud easily."""
    return readable_code(groups=4)


def _frozen_certificate(
    enrollment: Enrollment, actor: AbstractBaseUser | None, *, issuer: str
) -> Certificate:
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
        issuer=issuer,
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


@transaction.atomic
def certificates_issue(
    *, actor: AbstractBaseUser | None, cohort: Cohort, enrollment_ids: list[int] | None = None
) -> list[Certificate]:
    """Issue a certificate to every eligible activist of the cohort who has none yet, or to
    the given enrollments (which may replace a revoked one). Idempotent: issuing again creates
    nothing.

    The cohort row is locked so two requests issue one after the other; the database's
    partial unique constraint is the last line of defence. PDFs are rendered by workers after
    commit; the rows exist first, so a missing PDF can always be rendered again. Each
    certificate's portable credential is signed in the same transaction."""
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
    issuer = issuer_name(default=ISSUER)
    new = [_frozen_certificate(e.enrollment, actor, issuer=issuer) for e in chosen]
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
    # Signed now, in this transaction: a certificate never exists without its credential.
    portable_credentials_issue(certificates=created)
    for certificate in created:
        render_certificate_pdf.enqueue_after_commit(certificate.pk)
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
    if not certificate.is_valid:  # revoked already, or superseded by a re-issue
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
    status_list_changed(certificate=certificate)  # its bit is set from this commit on
    render_certificate_pdf.enqueue_after_commit(certificate.pk)  # the "revoked" stamp
    return certificate


def certificates_issue_after_practice(*, activist_id: int | None = None) -> list[Certificate]:
    """Issue what supervised practice verified after a cohort closed has earned: in the closed
    cohorts of courses that require practice, to every activist (or to `activist_id`) still
    without a certificate who is eligible now. Idempotent; each cohort is issued in bulk, as
    closing it did, and a revoked certificate is never replaced here."""
    waiting = (
        Enrollment.objects.filter(
            cohort__status=Cohort.Status.CLOSED,
            cohort__course__practice_amount__gt=0,
            certificates__isnull=True,
        )
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .values("cohort_id")
    )
    if activist_id is not None:
        waiting = waiting.filter(activist_id=activist_id)
    issued = []
    for cohort in Cohort.objects.filter(pk__in=waiting).select_related("course", "cem__site"):
        issued += certificates_issue(actor=None, cohort=cohort)
    return issued


_SNAPSHOT_EXCLUDE = ("pdf", "rendered_at")
# What a re-issued certificate copies from the one it replaces: everything but the holder.
_REISSUE_KEEPS = (
    "enrollment_id",
    "course_title",
    "course_code",
    "curriculum_version",
    "credit_hours",
    "accrediting_institution",
    "issuer",
    "site_name",
    "cem_name",
    "cohort_start",
    "cohort_end",
    "signatories",
    "language",
)


@transaction.atomic
def certificate_reissue(
    *, actor: AbstractBaseUser | None, certificate: Certificate, reason: str
) -> Certificate:
    """Re-issue a valid certificate with its holder's corrected name (a rectification): a new
    row with everything else printed on the old one, a new code, today's date, its own signed
    credential and PDF; the old row stays for the audit trail as superseded, pointing at the
    new one, and its credential's status bit is set. Returns the new certificate; a
    certificate that is no longer valid is returned unchanged."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not old.is_valid:
        return old
    site_id = old.enrollment.cohort.cem.site_id
    before = model_snapshot(old, exclude=_SNAPSHOT_EXCLUDE)
    old.status, old.superseded_at = Certificate.Status.SUPERSEDED, timezone.now()
    old.save(update_fields=["status", "superseded_at"])  # frees the enrollment's valid slot
    activist = Enrollment.objects.select_related("activist__profile").get(pk=old.enrollment_id)
    activist = activist.activist
    new = Certificate(
        **{name: getattr(old, name) for name in _REISSUE_KEEPS},
        code=certificate_code_generate(),
        full_name=activist.get_full_name() or activist.username,
        participant_code=activist.profile.participant_code,
        issued_on=timezone.localdate(),
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    new.save()
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    AuditLogEntry.objects.bulk_create(
        [
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.CREATE,
                instance=new,
                site=site_id,
                after={**model_snapshot(new, exclude=_SNAPSHOT_EXCLUDE), "reason": reason},
            ),
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.UPDATE,
                instance=old,
                site=site_id,
                before=before,
                after={**model_snapshot(old, exclude=_SNAPSHOT_EXCLUDE), "reason": reason},
            ),
        ]
    )
    portable_credentials_issue(certificates=[new])
    status_list_changed(certificate=old)
    render_certificate_pdf.enqueue_after_commit(new.pk)
    render_certificate_pdf.enqueue_after_commit(old.pk)  # the "superseded" stamp
    return new
