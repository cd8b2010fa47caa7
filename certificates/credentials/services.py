"""Issuing and re-issuing portable credentials. Rows first: what a verifier downloads (the JSON
with its Data Integrity proof, and the VC-JWT) is signed once and frozen in the row.

Signing costs a few milliseconds per credential (RDF canonicalisation dominates), so a cohort's
credentials are signed inside its issuance transaction, with one key lookup and one status-list
allocation for all of them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from certificates.credentials.credential import IssuerProfile, open_badge_credential
from certificates.credentials.data_integrity import add_proof
from certificates.credentials.jwt import vc_jwt
from certificates.credentials.models import CredentialIssuerSettings, PortableCredential
from certificates.credentials.signing import ActiveKey, active_signing_key, issuer_did
from certificates.credentials.status_list import status_indexes_allocate
from certificates.models import Certificate
from certificates.verification.services import verification_url
from lms.audit import audit_record, model_snapshot
from lms.models import AuditLogEntry

# The signed texts are kept out of audit snapshots: they are long and say nothing new.
_SNAPSHOT_EXCLUDE = ("signed_json", "signed_jwt")


def issuer_name(*, default: str) -> str:
    """The issuer printed on new certificates: the admin's setting, else ``default``."""
    return CredentialIssuerSettings.load().name or default


def issuer_profile(certificate: Certificate) -> IssuerProfile:
    """The issuer as the admin's *Credential issuer* settings describe it (one query)."""
    configured = CredentialIssuerSettings.load()
    image = ""
    if configured.image_id:
        image = settings.BASE_URL + configured.image.file.url
    return IssuerProfile(
        id=issuer_did(),
        name=configured.name or certificate.issuer,
        url=configured.url or settings.BASE_URL + "/",
        email=configured.email,
        image=image,
    )


def _sign(
    portable: PortableCredential,
    certificate: Certificate,
    *,
    key: ActiveKey,
    issuer: IssuerProfile,
) -> None:
    """Build the credential and store both signed forms in ``portable`` (not saved)."""
    credential = open_badge_credential(
        certificate=certificate,
        portable=portable,
        issuer=issuer,
        verification_url=verification_url(certificate.code),
    )
    secured = add_proof(
        credential,
        private_key=key.private_key,
        verification_method=key.verification_method,
        created=portable.signed_at,
    )
    portable.signing_key = key.row
    portable.signed_json = json.dumps(secured, ensure_ascii=False, indent=2)
    portable.signed_jwt = vc_jwt(
        credential, key=key.jose, kid=key.verification_method, valid_from=certificate.created_at
    )


@transaction.atomic
def portable_credentials_issue(*, certificates: Sequence[Certificate]) -> list[PortableCredential]:
    """Sign a credential for each certificate (which must have none yet), each on a fresh
    status-list index. Raises ImproperlyConfigured when no signing key is available."""
    if not certificates:
        return []
    key = active_signing_key()
    issuer = issuer_profile(certificates[0])
    slots = status_indexes_allocate(len(certificates))
    now = timezone.now()
    rows = []
    for certificate, (status_list, index) in zip(certificates, slots, strict=True):
        portable = PortableCredential(
            certificate=certificate,
            name_salt=secrets.token_hex(16),
            status_list=status_list,
            status_index=index,
            signed_at=now,
        )
        _sign(portable, certificate, key=key, issuer=issuer)
        rows.append(portable)
    PortableCredential.objects.bulk_create(rows)
    return rows


def portable_credential_of(certificate: Certificate) -> PortableCredential:
    """The certificate's credential; one is signed now for a certificate issued before
    credentials were signed."""
    portable = PortableCredential.objects.filter(certificate=certificate).first()
    if portable is not None:
        return portable
    with transaction.atomic():
        Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
        portable = PortableCredential.objects.filter(certificate=certificate).first()
        return portable or portable_credentials_issue(certificates=[certificate])[0]


@transaction.atomic
def portable_credential_withhold_name(
    *, actor: AbstractBaseUser | None, certificate: Certificate
) -> PortableCredential:
    """Re-issue the credential with the holder's name withheld (data-rights cancellation).

    From now on the JSON and the JWT served carry no identifier of her, only the anonymous
    subject id, and keep the same id and status entry, so a later revocation still reaches
    the copies already downloaded (which cannot be recalled). The verification page says
    that the name is withheld at her request. Idempotent."""
    portable_credential_of(certificate)
    portable = PortableCredential.objects.select_for_update().get(certificate=certificate)
    if portable.name_withheld:
        return portable
    before = model_snapshot(portable, exclude=_SNAPSHOT_EXCLUDE)
    issuer = IssuerProfile.from_json(json.loads(portable.signed_json)["issuer"])  # as issued
    portable.name_withheld_at = portable.signed_at = timezone.now()
    _sign(portable, certificate, key=active_signing_key(), issuer=issuer)
    portable.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=portable,
        site=certificate.enrollment.cohort.cem.site_id,
        before=before,
        after=model_snapshot(portable, exclude=_SNAPSHOT_EXCLUDE),
    )
    return portable
