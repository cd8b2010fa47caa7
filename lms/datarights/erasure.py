"""Cancellation: erasing a person, in one transaction.

1. Every part of the platform reports the objects about her (:func:`objects_about`) while they
   still say who she is.
2. Each part erases what identifies her, in the registry's order (account and profile first,
   so later parts see her pseudonym and her new roster code): names, contact data and free text
   about her are removed or irreversibly replaced; what the organisation must keep stays
   (a cohort's attendance, issued certificates, the requests answered, the audit trail).
3. The audit entries about her are pseudonymised (:func:`lms.audit.audit_entries_pseudonymise`),
   the one change ever made to audit entries besides retention, itself written to the log.
4. The erasure writes its own entry: what each part did, in counts.

Backups taken before the erasure still hold her data until they age out on the retention
schedule of the backups (see the README); restoring one means erasing her again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.utils import timezone

from lms.audit import audit_entries_pseudonymise, audit_record
from lms.codes import readable_code
from lms.datarights.registry import (
    Erasure,
    objects_about,
    personal_data_parts,
    subject_with_history,
)
from lms.datarights.subject import ERASED
from lms.models import AuditLogEntry

PSEUDONYM_PREFIX = "borrada"


@dataclass(frozen=True)
class ErasureResult:
    pseudonym: str
    counts: dict[str, dict[str, int]]
    audit_entries: int


def _pseudonym() -> str:
    while True:
        candidate = f"{PSEUDONYM_PREFIX}-{readable_code(groups=2).lower()}"
        if not User.objects.filter(username=candidate).exists():
            return candidate


@transaction.atomic
def person_erase(
    *, actor: AbstractBaseUser | None, person: AbstractBaseUser, request=None
) -> ErasureResult:
    """Erase `person` (see the module's steps). `request` is the cancellation request carried
    out, whose entries record the erasure. Not idempotent by nature (a second run finds nothing
    left to erase and records that); the request's status keeps it from running twice."""
    subject = subject_with_history(person)
    erasure = Erasure(
        subject=subject,
        actor=actor,
        pseudonym=_pseudonym(),
        now=timezone.now(),
        request=request,
        about=objects_about(subject),
    )
    counts = {}
    for part in personal_data_parts():
        if part.erase is not None:
            counts[part.key] = part.erase(erasure)
    site = request.site_id if request is not None else None
    changed = audit_entries_pseudonymise(
        actor=actor,
        about=erasure.about,
        person=person,
        scrub=lambda text: subject.scrub(text, replacement=erasure.pseudonym),
        mentions=[
            value
            for value in (*subject.names(), subject.email, subject.phone, subject.participant_code)
            if value
        ],
        erased=ERASED,
        reason=request if request is not None else person,
        site=site,
    )
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=request if request is not None else person,
        site=site,
        after={"erased": counts, "pseudonym": erasure.pseudonym},
    )
    return ErasureResult(pseudonym=erasure.pseudonym, counts=counts, audit_entries=changed)
