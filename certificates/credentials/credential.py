"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential``, before any proof.

Built from the frozen certificate row and its :class:`PortableCredential` only (plus the issuer
profile frozen at signing), so re-signing gives the same statements. The holder is named only
by a salted SHA-256 of her name (``IdentityObject`` with ``hashed: true``): whoever knows the
name and the salt can check it, nobody can read it; when she has asked for her name to be
withheld the identifier is left out altogether.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from certificates.credentials.contexts import (
    CREDENTIALS_V2,
    OPEN_BADGES_V3,
    OPEN_BADGES_V3_EXTENSIONS,
)
from certificates.credentials.data_integrity import utc_timestamp

CONTEXT = [CREDENTIALS_V2, OPEN_BADGES_V3, OPEN_BADGES_V3_EXTENSIONS]
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CREDENTIAL_SCHEMA = [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}]


def absolute_url(name: str, *args: object) -> str:
    """Addresses inside credentials never carry a language prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.BASE_URL + reverse(name, args=args)


def status_list_url(list_id: int) -> str:
    return absolute_url("certificates:status_list", list_id)


def name_hash(name: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex SHA-256 of the UTF-8 name followed by the salt."""
    return "sha256$" + hashlib.sha256((name + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuerProfile:
    id: str
    name: str
    url: str
    email: str = ""
    image: str = ""

    @classmethod
    def from_json(cls, profile: dict[str, Any]) -> IssuerProfile:
        return cls(
            id=profile["id"],
            name=profile["name"],
            url=profile["url"],
            email=profile.get("email", ""),
            image=profile.get("image", {}).get("id", ""),
        )

    def as_json(self) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "id": self.id,
            "type": ["Profile"],
            "name": self.name,
            "url": self.url,
        }
        if self.email:
            profile["email"] = self.email
        if self.image:
            profile["image"] = {"id": self.image, "type": "Image"}
        return profile


def _start_of_day(day: date) -> str:
    moment = datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def open_badge_credential(
    *, certificate, portable, issuer: IssuerProfile, verification_url: str
) -> dict[str, Any]:
    """The unsigned credential of ``certificate`` (a frozen Certificate row)."""
    subject: dict[str, Any] = {
        "id": f"urn:uuid:{portable.subject_id}",
        "type": ["AchievementSubject"],
    }
    if not portable.name_withheld:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": True,
                "identityHash": name_hash(certificate.full_name, portable.name_salt),
                "salt": portable.name_salt,
            }
        ]
    achievement_id = absolute_url("certificates:achievement", certificate.course_code)
    subject.update(
        {
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Course",
                "humanCode": certificate.course_code,
                "name": certificate.course_title,
                "version": certificate.curriculum_version,
                "inLanguage": certificate.language,
                "description": (
                    f"{certificate.course_title}: curso acreditado por "
                    f"{certificate.accrediting_institution}, {certificate.credit_hours} horas "
                    "académicas."
                ),
                "criteria": {
                    "narrative": (
                        "Asistencia al porcentaje mínimo de todas las sesiones programadas del "
                        "grupo y cumplimiento de las demás reglas de aprobación del curso."
                    )
                },
                "creditsAvailable": float(certificate.credit_hours),
                "creator": {
                    "id": f"{achievement_id}#acreditacion",
                    "type": ["Profile"],
                    "name": certificate.accrediting_institution,
                },
            },
            "creditsEarned": float(certificate.credit_hours),
            "activityStartDate": _start_of_day(certificate.cohort_start),
            "activityEndDate": _start_of_day(certificate.cohort_end),
        }
    )
    list_url = status_list_url(portable.status_list_id)
    return {
        "@context": list(CONTEXT),
        "id": absolute_url("certificates:badge", certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": issuer.as_json(),
        "validFrom": utc_timestamp(certificate.created_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{list_url}#{portable.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(portable.status_index),
            "statusListCredential": list_url,
        },
        "credentialSchema": [dict(entry) for entry in CREDENTIAL_SCHEMA],
        "evidence": [
            {
                "id": verification_url,
                "type": ["Evidence"],
                "name": "Verificación pública",
            }
        ],
    }
