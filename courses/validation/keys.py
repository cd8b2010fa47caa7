"""The one place where validation feedback meets the research code that keys it.

Feedback is stored under a participant's research code, never with a link to her. Everything in
this package that needs the code of a person asks these two functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser

from courses.validation.models import ValidationFeedback, ValidationParticipant
from lms.models import ParticipantProfile


def research_code_of(person: AbstractBaseUser) -> str:
    """The research code of one person (she has a participant profile)."""
    return person.profile.participant_code


def research_codes_of(people: Iterable[AbstractBaseUser]) -> dict[int, str]:
    """Person id → research code, in one query whatever the number of people."""
    ids = [person.pk for person in people]
    return dict(
        ParticipantProfile.objects.filter(user_id__in=ids).values_list(
            "user_id", "participant_code"
        )
    )


def has_given_feedback(participant: ValidationParticipant) -> bool:
    """Whether feedback is stored under the participant's research code in her round."""
    return ValidationFeedback.objects.filter(
        round_id=participant.round_id, research_code=research_code_of(participant.person)
    ).exists()
