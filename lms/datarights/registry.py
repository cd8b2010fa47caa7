"""What each part of the platform holds about a person, and how it erases it.

Every app registers its part in its own ``personal_data.py`` (found like ``admin.py``), so a
new feature that stores personal data adds one entry beside its models::

    from lms.datarights.registry import PersonalData, register

    register(PersonalData(
        key="courses.enrollments",
        title=_("Enrollments"),
        order=200,
        fields={"cohort": _("Cohort"), "status": _("Status"), ...},
        collect=enrollments_of,   # (subject) -> list of records, one dict per row
        objects=enrollment_refs,  # (subject) -> [(model, ids)]: what the audit log may describe
        erase=enrollments_erase,  # (erasure) -> {"what": count}: remove what identifies her
    ))

``collect`` feeds her download ("My data": JSON and PDF, in ``order``); ``objects`` tells the
audit log which of its entries are about her (shown to her, pseudonymised when she is erased);
``erase`` runs inside the erasure's transaction, in ``order``, and must keep what the
organisation has to keep (records of a cohort, issued certificates) while removing or
irreversibly replacing her name, contact data and free text about her. ``rectified`` maps a
field of hers (``first_name``, ``email``…) to what the part does once it is corrected (a
certificate printing her name is re-issued); ``opposed`` stops the research use of what the
part holds when she withdraws her consent. Each returns counts only, never values: they go into
the audit entries. ``names`` gives the names she was known by in the part before a correction
(a superseded certificate prints the old one): erasure removes those too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from lms.datarights.subject import Subject, subject_of

#: (model class or "app.Model" label, primary keys)
ObjectRefs = list[tuple[type[models.Model] | str, Iterable[object]]]


@dataclass(frozen=True)
class Erasure:
    """What an erasure's steps share: who erases whom, under which request, and the objects
    about her that every part reported before anything changed."""

    subject: Subject
    actor: AbstractBaseUser | None
    pseudonym: str
    now: dt.datetime
    request: models.Model | None = None
    about: dict[str, set[str]] = field(default_factory=dict)  # model label → object ids


@dataclass(frozen=True)
class PersonalData:
    key: str
    title: Promise | str
    order: int
    fields: dict[str, Promise | str]
    collect: Callable[[Subject], list[dict]]
    objects: Callable[[Subject], ObjectRefs] | None = None
    erase: Callable[[Erasure], dict[str, int]] | None = None
    # field → (subject after the correction, actor, reason) -> counts
    rectified: dict[str, Callable[[Subject, AbstractBaseUser | None, str], dict[str, int]]] = field(
        default_factory=dict
    )
    opposed: Callable[[Subject, AbstractBaseUser | None], dict[str, int]] | None = None
    names: Callable[[Subject], Iterable[str]] | None = None
    note: Promise | str = ""


_PARTS: dict[str, PersonalData] = {}


def register(part: PersonalData) -> PersonalData:
    """Add a part; registering the same key twice is a mistake unless it is the same part."""
    existing = _PARTS.get(part.key)
    if existing is not None and existing != part:
        raise ValueError(f"Another personal-data part is already registered as {part.key!r}")
    _PARTS[part.key] = part
    return part


def personal_data_parts() -> list[PersonalData]:
    """Every part, in order, after importing each installed app's ``personal_data`` module."""
    autodiscover_modules("personal_data")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.key))


def subject_with_history(user: AbstractBaseUser) -> Subject:
    """The person with every name she was known by, as each part remembers them."""
    subject = subject_of(user)
    current = subject.full_name
    former = {
        " ".join(name.split())
        for part in personal_data_parts()
        if part.names is not None
        for name in part.names(subject)
    }
    former.discard(current)
    former.discard("")
    return subject_of(user, former_names=tuple(sorted(former)))


def objects_about(subject: Subject) -> dict[str, set[str]]:
    """Model label → ids (as the audit log stores them) of every object about her."""
    found: dict[str, set[str]] = {}
    for part in personal_data_parts():
        if part.objects is None:
            continue
        for model, ids in part.objects(subject):
            label = model if isinstance(model, str) else model._meta.label
            found.setdefault(label, set()).update(str(pk) for pk in ids)
    return found
