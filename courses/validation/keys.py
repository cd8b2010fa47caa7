"""The one place where validation feedback meets the research code that keys it.

Feedback is stored under a participant's research code (:mod:`lms.research_codes`), never with
a link to her, and never under the participant (roster) code printed on sheets and
certificates. Everything in this package that needs the code of a person asks these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser

from courses.validation.models import ValidationFeedback, ValidationParticipant
from lms import research_codes


def research_code_of(person: AbstractBaseUser) -> str:
    """The research code of one person (she has a participant profile), created on first use:
    the write path of feedback."""
    return research_codes.research_code_of(person.profile)


def research_codes_of(people: Iterable[AbstractBaseUser]) -> dict[int, str]:
    """Person id → research code, in one query whatever the number of people; people who never
    stored anything under one are left out."""
    return research_codes.research_codes_of_people(person.pk for person in people)


def has_given_feedback(participant: ValidationParticipant) -> bool:
    """Whether feedback is stored under the participant's research code in her round."""
    code = research_codes_of([participant.person]).get(participant.person_id)
    return (
        code is not None
        and ValidationFeedback.objects.filter(
            round_id=participant.round_id, research_code=code
        ).exists()
    )
