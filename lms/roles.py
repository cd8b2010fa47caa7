"""Roles are Django groups; this is the one place that names them. What a role may see or do
is decided in :mod:`lms.access`."""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    ACTIVIST = "activista"
    TRAINER = "facilitador"
    COORDINATOR = "coordinador"
    ACCREDITOR = "acreditador"


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    """The role names of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cem_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._cem_roles = cached
    return cached
