"""Scoping rules shared by every app: who may see which site's data."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from lms.models import ParticipantProfile, Site
from lms.roles import Role, user_roles


def profile_of(user: AbstractBaseUser | AnonymousUser) -> ParticipantProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except ParticipantProfile.DoesNotExist:
        return None


def coordinator_site_id(user: AbstractBaseUser | AnonymousUser) -> int | None:
    """The site a coordinator is limited to, or None for a national coordinator."""
    profile = profile_of(user)
    return profile.site_id if profile else None


def sees_all_sites(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers, accreditors and national coordinators see every site."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user)
    if Role.ACCREDITOR in roles:
        return True
    return Role.COORDINATOR in roles and coordinator_site_id(user) is None


def visible_sites(user: AbstractBaseUser | AnonymousUser):
    if sees_all_sites(user):
        return Site.objects.all()
    if Role.COORDINATOR in user_roles(user):
        return Site.objects.filter(pk=coordinator_site_id(user))
    return Site.objects.none()
