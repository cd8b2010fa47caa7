"""The one way to the research code of a participant, and back.

Questionnaire answers (and whatever else is stored for research) are keyed by a *research
code*, never by the participant (roster) code that sign-in sheets, attendance screens, actas and
certificates print beside names: a roster and an export together must not reveal whose answers
are whose. The mapping lives in :class:`lms.models.ResearchIdentity` and is read only here, by
the services that store answers, pair the waves of one person and answer data-rights requests.
Nothing these functions return may be shown next to a name.

* :func:`research_code_of` — one profile's code, created on first use (write paths).
* :func:`research_codes_of` — many profiles' codes in one query (read paths; ``create=True``
  gives the missing ones a code in one more statement).
* :func:`research_codes_of_people` — the same keyed by user id, for what is keyed by person
  (enrollments name their activist).
* :func:`profile_of_research_code` — the person behind a code, for data-rights services only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from lms.models import ParticipantProfile, ResearchIdentity

ProfileRef = ParticipantProfile | int


def _profile_id(profile: ProfileRef) -> int:
    return profile if isinstance(profile, int) else profile.pk


def research_code_of(profile: ProfileRef) -> str:
    """The research code of `profile` (an instance or its id), created on first use."""
    profile_id = _profile_id(profile)
    code = (
        ResearchIdentity.objects.filter(profile_id=profile_id)
        .values_list("research_code", flat=True)
        .first()
    )
    if code is not None:
        return code
    try:
        with transaction.atomic():
            return ResearchIdentity.objects.create(profile_id=profile_id).research_code
    except IntegrityError:  # a concurrent request created it first
        return ResearchIdentity.objects.get(profile_id=profile_id).research_code


def research_codes_of(profiles: Iterable[ProfileRef], *, create: bool = False) -> dict[int, str]:
    """Profile id → research code, in one query whatever their number. A profile without a code
    has stored no answers and is left out, unless `create` gives it one."""
    ids = {_profile_id(p) for p in profiles}
    if not ids:
        return {}
    codes = dict(
        ResearchIdentity.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "research_code"
        )
    )
    missing = ids - codes.keys()
    if create and missing:
        ResearchIdentity.objects.bulk_create(
            [ResearchIdentity(profile_id=pk) for pk in missing], ignore_conflicts=True
        )
        codes.update(
            ResearchIdentity.objects.filter(profile_id__in=missing).values_list(
                "profile_id", "research_code"
            )
        )
    return codes


def research_codes_of_people(user_ids: Iterable[int]) -> dict[int, str]:
    """User id → research code in one query; people who stored no answers are left out."""
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(
        ResearchIdentity.objects.filter(profile__user_id__in=ids).values_list(
            "profile__user_id", "research_code"
        )
    )


def profile_of_research_code(code: str) -> ParticipantProfile | None:
    """The participant a research code belongs to, for the data-rights services (access,
    erasure, portability); None for an unknown or dissociated code."""
    return (
        ParticipantProfile.objects.select_related("user")
        .filter(research_identity__research_code=code)
        .first()
    )
