"""Role checks of :mod:`lms.access`: which roles may use a whole screen (403 for the others),
and who reads the facilitators' notes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from lms.roles import Role, user_roles

User = AbstractBaseUser | AnonymousUser | None

# --- Role checks -------------------------------------------------------------------------------

#: Take attendance, run the schedule of a cohort.
RUNS_SESSIONS = frozenset({Role.TRAINER, Role.COORDINATOR})
#: Read a cohort's roster and attendance.
READS_ROSTERS = RUNS_SESSIONS | {Role.ACCREDITOR}
#: Follow one's own courses ("Mis cursos").
FOLLOWS_COURSES = frozenset({Role.ACTIVIST})
#: Read completion evidence and the audit log.
READS_EVIDENCE = frozenset({Role.ACCREDITOR, Role.COORDINATOR})
#: Coordinate: the admin, the pre/post analytics and exports, issuing certificates.
COORDINATES = frozenset({Role.COORDINATOR})
#: Read the cascade's reach (figures only; accreditors change nothing).
READS_REACH = frozenset({Role.COORDINATOR, Role.ACCREDITOR})


def _authenticated(user: User) -> bool:
    return user is not None and user.is_authenticated


def has_any_role(user: User, roles: Iterable[str]) -> bool:
    """Superusers hold every role; anybody else one of `roles`."""
    if not _authenticated(user):
        return False
    return user.is_superuser or bool(user_roles(user) & frozenset(roles))


def require_role(user: User, roles: Iterable[str]) -> None:
    """403 unless the user holds one of `roles` (or is a superuser)."""
    if not has_any_role(user, roles):
        raise PermissionDenied


def role_required(roles: Iterable[str]) -> Callable:
    """View decorator: 403 for anybody without one of `roles`. Put it under ``login_required``
    (anonymous visitors are sent to log in) and the method decorators."""
    roles = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_role(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


#: Other ways of running the curriculum's sessions, checks added by the apps that know them.
ALSO_RUN_SESSIONS: list[Callable[[User], bool]] = []


def sees_facilitator_notes(user: User) -> bool:
    """Facilitator and safety notes are for the people who run sessions, never for
    participants: staff, trainers, coordinators, and the activists who run the curriculum's
    sessions with community groups."""
    if not _authenticated(user):
        return False
    if user.is_staff or has_any_role(user, RUNS_SESSIONS):
        return True
    return any(check(user) for check in ALSO_RUN_SESSIONS)
