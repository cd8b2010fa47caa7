"""Roles are Django groups; these helpers are the one place that names them."""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    ACTIVIST = "activista"
    TRAINER = "facilitador"
    COORDINATOR = "coordinador"
    ACCREDITOR = "acreditador"


STAFF_ROLES = frozenset({Role.TRAINER, Role.COORDINATOR})


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    """The role names of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cem_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._cem_roles = cached
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in user_roles(user)


def can_see_facilitator_notes(user: User | AnonymousUser) -> bool:
    """Facilitator and safety notes are for the people who run sessions, never for participants."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(user_roles(user) & STAFF_ROLES)
