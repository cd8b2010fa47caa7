"""What every requirement of the completion rule is: it loads its facts once for many cohorts,
checks one enrollment and states itself (see :mod:`.requirements` for the rule itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from certificates.completion.inputs import CompletionInputs
from courses.models import CoursePage, Enrollment


@dataclass(frozen=True, kw_only=True)
class Check:
    """What one requirement says of one enrollment: met or not, and why not (one sentence per
    unmet condition). Subclasses add the facts behind the verdict."""

    requirement: str
    met: bool
    reasons: tuple[str, ...] = ()

    @property
    def progress(self) -> tuple[str, ...]:
        """What the activist reads about this requirement on her own screens."""
        return ()


class Requirement:
    """One condition of the certificate. Subclasses set ``code`` and implement ``check``."""

    code: ClassVar[str]

    def load(self, inputs: CompletionInputs) -> object:
        """Read what :meth:`check` needs for every cohort and course of `inputs` at once."""
        return None

    def check(self, enrollment: Enrollment, inputs: CompletionInputs, loaded) -> Check:
        raise NotImplementedError

    def sentences(self, course: CoursePage, loaded) -> list[str]:
        """The requirement as the course sets it, in the active language."""
        return []
