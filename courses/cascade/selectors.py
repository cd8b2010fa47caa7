"""Reads of the cascade, each in a fixed number of queries and scoped by the access module:
who may report replica sessions and with which courses, an activist's own groups and sessions,
and the sessions waiting for the CEM staff of a site."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from certificates.models import Certificate
from courses.models import (
    CommunityGroup,
    CoursePage,
    District,
    Enrollment,
    ReplicaSession,
    SessionPage,
)
from lms import access
from lms.roles import Role


def reporting_courses(user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """The courses whose sessions an activist may run with community groups: those she holds
    a valid certificate of, and those she is enrolled in that require supervised practice."""
    if not access.has_any_role(user, {Role.ACTIVIST}) or user.is_superuser:
        return CoursePage.objects.none()
    certified = access.owned(user, Certificate).filter(status=Certificate.Status.VALID)
    practising = access.owned(user, Enrollment).filter(
        status=Enrollment.Status.ENROLLED, cohort__course__practice_amount__gt=0
    )
    return CoursePage.objects.filter(
        Q(pk__in=certified.values("enrollment__cohort__course_id"))
        | Q(pk__in=practising.values("cohort__course_id"))
    ).order_by("title")


def runs_replicas(user: AbstractBaseUser) -> bool:
    """Whether the user runs sessions of the cascade (one query, cached for the request).
    They see facilitator guides and keep an outbox on their phone."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_cem_runs_replicas", None)
    if cached is None:
        cached = reporting_courses(user).exists()
        user._cem_runs_replicas = cached
    return cached


def may_report(user: AbstractBaseUser) -> bool:
    return reporting_courses(user).exists()


def district_choices(user: AbstractBaseUser) -> QuerySet[District]:
    """The districts of the user's own site, for her groups."""
    return District.objects.filter(site_id=access.home_site_id(user)).order_by("province", "name")


def co_facilitator_choices(user: AbstractBaseUser):
    """Other activists of the user's site."""
    from django.contrib.auth.models import User

    site_id = access.home_site_id(user)
    return (
        User.objects.filter(groups__name=Role.ACTIVIST, is_active=True, profile__site_id=site_id)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name")
        if site_id
        else User.objects.none()
    )


def course_sessions(course_ids) -> dict[int, list[SessionPage]]:
    """Live sessions of each course, in order: course id → sessions (one query)."""
    sessions: dict[int, list[SessionPage]] = defaultdict(list)
    pages = {c.pk: c for c in CoursePage.objects.filter(pk__in=list(course_ids))}
    if not pages:
        return sessions
    query = Q()
    for page in pages.values():
        query |= Q(path__startswith=page.path, depth=page.depth + 1)
    for session in SessionPage.objects.live().filter(query).order_by("number", "path"):
        parent = next(p for p in pages.values() if session.path.startswith(p.path))
        sessions[parent.pk].append(session)
    return sessions


@dataclass(frozen=True)
class GroupCard:
    group: CommunityGroup
    replicas: list[ReplicaSession]

    @property
    def verified(self) -> int:
        return sum(1 for r in self.replicas if r.status == ReplicaSession.Status.VERIFIED)


def own_groups(user: AbstractBaseUser) -> list[GroupCard]:
    """The activist's groups, each with its replica sessions (newest first), in three queries."""
    replicas = ReplicaSession.objects.prefetch_related("sessions").order_by("-held_on", "-pk")
    groups = (
        access.owned(user, CommunityGroup)
        .select_related("district", "cem", "course")
        .prefetch_related(Prefetch("replicas", queryset=replicas))
        .order_by("name", "pk")
    )
    return [GroupCard(group=g, replicas=list(g.replicas.all())) for g in groups]


def replicas_to_verify(user: AbstractBaseUser) -> QuerySet[ReplicaSession]:
    """The replica sessions the user may verify, the pending ones first."""
    return (
        access.manageable(user, ReplicaSession)
        .exclude(group__activist=user)
        .select_related("group__activist", "group__district", "group__cem__site", "group__course")
        .order_by("status", "-held_on", "-pk")
    )
