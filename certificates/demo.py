"""Demo certificates: issued for the finished cohorts, one of them revoked."""

from django.contrib.auth.models import User
from django.db import transaction

from certificates.issuance.services import certificate_revoke, certificates_issue
from certificates.models import Certificate
from courses.models import Cohort

DEMO_REVOCATION_REASON = "Emitido por error: la asistencia registrada fue corregida después."


@transaction.atomic
def seed_certificates(*, admin: User) -> None:
    """Idempotent: issuing skips whoever already holds a valid certificate."""
    for cohort in Cohort.objects.filter(status=Cohort.Status.CLOSED).order_by("pk"):
        issued = certificates_issue(actor=admin, cohort=cohort)
        revoked = Certificate.objects.filter(
            enrollment__cohort=cohort, status=Certificate.Status.REVOKED
        )
        if issued and not revoked.exists() and cohort.cem.site.slug == "villa-maria-del-triunfo":
            victim = next(
                c for c in reversed(issued) if c.enrollment.activist.username != "activista"
            )
            certificate_revoke(actor=admin, certificate=victim, reason=DEMO_REVOCATION_REASON)
