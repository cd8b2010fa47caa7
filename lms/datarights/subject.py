"""The person a data-rights request is about, and the strings that identify her.

:func:`subject_of` reads her once (account, profile, the code her answers are stored under);
:meth:`Subject.scrub` replaces what identifies her in a free text, as erasure does wherever her
name or contact data may have been typed or copied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from lms.models import ParticipantProfile
from lms.research_codes import research_codes_of

#: What replaces an identifying value (a name, an address, a note about her) when it is erased.
ERASED = "[borrado]"
# A phone number is matched by its last digits, whatever separators it was typed with.
_PHONE_DIGITS = 7


@dataclass(frozen=True)
class Subject:
    user: AbstractBaseUser
    profile: ParticipantProfile | None
    given_names: str
    surnames: str
    username: str
    email: str
    phone: str
    participant_code: str
    #: The code her questionnaire answers are stored under (None: she has none).
    answers_code: str | None
    #: Names she was known by before a correction (printed on old certificates, in old entries).
    former_names: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surnames) if part)

    def names(self) -> list[str]:
        """Her name as it may have been written, now and before a correction: whole, given
        names, surnames (multi-word parts only: one common first name alone would also match
        other people)."""
        found = [self.full_name, *self.former_names]
        found += [
            part
            for part in (self.given_names, self.surnames, *self.former_names)
            if len(part.split()) > 1
        ]
        return [name for name in dict.fromkeys(found) if name]

    def identifiers(self) -> list[str]:
        """Every string that identifies her: her names, e-mail, phone, user name and roster code;
        longest first, so that a longer one is replaced before a part of it."""
        found = [*self.names(), self.email, self.phone, self.username, self.participant_code]
        return sorted({value for value in found if value}, key=len, reverse=True)

    @cached_property
    def _patterns(self) -> list[re.Pattern]:
        # Built once per subject: erasure scrubs every text field of every row about her.
        patterns = [re.compile(re.escape(value), re.IGNORECASE) for value in self.identifiers()]
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) >= _PHONE_DIGITS:
            patterns.append(re.compile(r"[\s().-]*".join(digits[-9:])))
        return patterns

    def scrub(self, text: str, *, replacement: str = ERASED) -> str:
        """``text`` with every identifier of hers replaced."""
        for pattern in self._patterns:
            text = pattern.sub(replacement, text)
        return text

    def mentions(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self._patterns)

    def scrub_rows(self, rows: Iterable[models.Model], fields: tuple[str, ...]) -> int:
        """Her identifiers out of the text `fields` of each row (saved with ``update()``, so
        that no timestamp says the row was edited); how many rows changed."""
        changed = 0
        for row in rows:
            values = {name: self.scrub(getattr(row, name)) for name in fields}
            if any(values[name] != getattr(row, name) for name in fields):
                type(row).objects.filter(pk=row.pk).update(**values)
                changed += 1
        return changed


def subject_of(user: AbstractBaseUser, *, former_names: tuple[str, ...] = ()) -> Subject:
    """The person, read once. Erasure passes the names she had before (see
    :func:`lms.datarights.registry.subject_with_history`)."""
    profile = ParticipantProfile.objects.filter(user=user).first()
    return Subject(
        user=user,
        profile=profile,
        given_names=user.first_name.strip(),
        surnames=user.last_name.strip(),
        username=user.username,
        email=user.email.strip(),
        phone=profile.phone.strip() if profile else "",
        participant_code=profile.participant_code if profile else "",
        answers_code=answers_code_of(profile),
        former_names=former_names,
    )


def answers_code_of(profile: ParticipantProfile | None) -> str | None:
    """The research code her questionnaire answers are keyed by (None: she stored none)."""
    if profile is None:
        return None
    return research_codes_of([profile]).get(profile.pk)
