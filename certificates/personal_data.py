"""What certificates hold about a person (the certificates issued to her, their credentials and
their verification lookups), how they follow a correction of her name, and how they are
erased. See :mod:`lms.datarights.registry`."""

from datetime import timedelta

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from certificates.credentials.services import portable_credential_withhold_name
from certificates.issuance.services import certificate_reissue
from certificates.models import Certificate, PortableCredential, VerificationLookup
from certificates.tasks import render_certificate_pdf
from certificates.verification.services import verification_url
from lms.datarights.registry import Erasure, PersonalData, register
from lms.datarights.retention import RetentionRule, register_retention
from lms.datarights.subject import Subject


def _certificates_of(subject: Subject):
    return Certificate.objects.filter(enrollment__activist=subject.user)


def _certificates(subject: Subject) -> list[dict]:
    certificates = (
        _certificates_of(subject)
        .select_related("superseded_by", "portable")
        .annotate(visits=Count("lookups"))
        .order_by("created_at", "pk")
    )
    return [
        {
            "code": c.code,
            "status": c.get_status_display(),
            "full_name": c.full_name,
            "course": f"{c.course_title} ({c.course_code}, v{c.curriculum_version})",
            "credit_hours": c.credit_hours,
            "issued_on": c.issued_on,
            "revoked_at": c.revoked_at,
            "revoked_reason": c.revoked_reason,
            "superseded_by": c.superseded_by.code if c.superseded_by else "",
            "name_withheld": bool(getattr(c, "portable", None) and c.portable.name_withheld),
            "verification_url": verification_url(c.code),
            "verification_lookups": c.visits,
        }
        for c in certificates
    ]


def _certificate_objects(subject: Subject):
    ids = list(_certificates_of(subject).values_list("pk", flat=True))
    portables = PortableCredential.objects.filter(certificate_id__in=ids)
    return [(Certificate, ids), (PortableCredential, portables.values_list("pk", flat=True))]


def _printed_names(subject: Subject) -> list[str]:
    return list(_certificates_of(subject).values_list("full_name", flat=True))


def _name_rectified(subject: Subject, actor, reason: str) -> dict[str, int]:
    """Her name was corrected: every valid certificate that prints another name is re-issued."""
    printed = subject.full_name or subject.username
    reissued = 0
    for certificate in _certificates_of(subject).filter(status=Certificate.Status.VALID):
        if certificate.full_name != printed:
            certificate_reissue(actor=actor, certificate=certificate, reason=reason)
            reissued += 1
    return {"certificates_reissued": reissued}


def _certificates_erase(erasure: Erasure) -> dict[str, int]:
    """Certificates stay issued and verifiable (valid, revoked or superseded as they were);
    the name printed on them is withheld: the rows lose it, the credentials are re-signed
    without any identifier of her, and the PDFs are rendered again with the name withheld.
    Verification lookups keep only a keyed hash of the visitor, nothing about her."""
    certificates = list(
        _certificates_of(erasure.subject).select_related("enrollment__activist__profile")
    )
    # update(): the frozen row is rewritten only where it names her; the roster code printed
    # on it becomes her new one (the account part gave her one), unlinkable to old rosters.
    for certificate in certificates:
        Certificate.objects.filter(pk=certificate.pk).update(
            full_name="", participant_code=certificate.enrollment.activist.profile.participant_code
        )
    for certificate in certificates:
        certificate.refresh_from_db()
        portable_credential_withhold_name(actor=erasure.actor, certificate=certificate)
        render_certificate_pdf.enqueue_after_commit(certificate.pk)
    return {"certificates_name_withheld": len(certificates)}


register(
    PersonalData(
        key="certificates.certificates",
        title=_("Certificates"),
        order=400,
        fields={
            "code": _("Verification code"),
            "status": _("Status"),
            "full_name": _("Name printed"),
            "course": _("Course"),
            "credit_hours": _("Credit hours"),
            "issued_on": _("Issued on"),
            "revoked_at": _("Revoked at"),
            "revoked_reason": _("Reason for revocation"),
            "superseded_by": _("Replaced by"),
            "name_withheld": _("Name withheld"),
            "verification_url": _("Verification page"),
            "verification_lookups": _("Times its verification page was visited"),
        },
        collect=_certificates,
        objects=_certificate_objects,
        erase=_certificates_erase,
        rectified={"first_name": _name_rectified, "last_name": _name_rectified},
        names=_printed_names,
        note=_(
            "Anyone with a certificate's code can verify it. Visits are logged with a keyed hash "
            "of the visitor's address, never the address itself."
        ),
    )
)


def _lookups_retention(settings, now, dry_run: bool) -> int | None:
    if not settings.lookups_retention_days:
        return None
    old = VerificationLookup.objects.filter(
        at__lt=now - timedelta(days=settings.lookups_retention_days)
    )
    count = old.count()
    if count and not dry_run:
        old.delete()
    return count


register_retention(
    RetentionRule(
        key="certificates.lookups",
        label=_("Certificate verification lookups"),
        order=200,
        apply=_lookups_retention,
    )
)
