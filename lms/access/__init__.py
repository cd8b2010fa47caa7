"""Who may read or manage what: the one module that answers every scoping question.

Everything rests on two facts of a user: their roles (:mod:`lms.roles`) and the *site scope*
a role gives them.

* A coordinator reaches the site on her profile, or every site when it has none (national).
* An accreditor reaches every site, to read completion evidence, never to change it.
* A superuser reaches everything.
* Trainers and activists reach no site as such: a trainer reaches the cohorts she trains (and,
  for kinds that say so, the records of her own site); an activist reaches her own records.

Each kind of object is described once, in :data:`KINDS`, by its lookups (to its site, to the
people who train it, to the person it belongs to) and by who reads and who manages it.
Selectors, views, viewsets and exports ask it for querysets (:func:`readable`, :func:`manageable`,
:func:`owned`, :func:`trained`, :func:`coordinated`, :func:`in_figures`) and single objects
(:func:`read_or_404`, :func:`manage_or_404`): "not allowed" and "does not exist" are one 404.
Views refuse a whole role with :func:`role_required` (403). No
other module filters by site or role.

A new kind of object is one entry. Some kinds are also read *as figures* by a wider audience
than their readers (:func:`in_figures`): accreditors read validation feedback as counts and the
cascade's reach as totals, never one row at a time. :func:`sites_to_manage` says where a user
may create an object of a kind.

The table of kinds is in :mod:`lms.access.kinds`, the role checks in :mod:`lms.access.roles`;
both are read through this module (``access.KINDS``, ``access.role_required``). Models are named
by label, never imported: every app imports this package, and it imports none of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from lms.access.kinds import (  # noqa: F401 (the table and its audiences, read as access.X)
    ACCREDITORS,
    COORDINATORS,
    KINDS,
    NOBODY,
    OWNER,
    SITE_TRAINERS,
    TEAM,
    TRAINERS,
    Audience,
    Kind,
)
from lms.access.roles import (  # noqa: F401 (the role checks, read as access.X)
    ALSO_RUN_SESSIONS,
    COORDINATES,
    FOLLOWS_COURSES,
    READS_EVIDENCE,
    READS_REACH,
    READS_ROSTERS,
    RUNS_SESSIONS,
    User,
    _authenticated,
    has_any_role,
    require_role,
    role_required,
    sees_facilitator_notes,
)
from lms.models import ParticipantProfile, Site
from lms.roles import Role, user_roles

# --- Site scope: the shared core ---------------------------------------------------------------


@dataclass(frozen=True)
class SiteScope:
    """The sites a user reaches through a role: every site, one site, or none."""

    every: bool = False
    site_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.every and self.site_id is None

    def q(self, site_path: str) -> Q:
        """Objects whose `site_path` leads to a site in scope."""
        if self.every:
            return Q()
        if self.site_id is None:
            return Q(pk__in=[])
        return Q(**{site_path: self.site_id})

    def sites(self) -> QuerySet[Site]:
        return Site.objects.filter(self.q("pk"))

    def site(self) -> Site | None:
        """The one site of a site coordinator (None for every site, or none)."""
        return Site.objects.filter(pk=self.site_id).first() if self.site_id else None


EVERY_SITE = SiteScope(every=True)
NO_SITE = SiteScope()


def profile_of(user: User) -> ParticipantProfile | None:
    if not _authenticated(user):
        return None
    try:
        return user.profile
    except ParticipantProfile.DoesNotExist:
        return None


def home_site_id(user: User) -> int | None:
    """The site on the user's profile, if any."""
    profile = profile_of(user)
    return profile.site_id if profile else None


def coordination_scope(user: User) -> SiteScope:
    """The sites a user coordinates: superusers and national coordinators every site, a site
    coordinator hers, anybody else none."""
    if not _authenticated(user):
        return NO_SITE
    if user.is_superuser:
        return EVERY_SITE
    if Role.COORDINATOR not in user_roles(user):
        return NO_SITE
    site_id = home_site_id(user)
    return EVERY_SITE if site_id is None else SiteScope(site_id=site_id)


# --- Querysets ---------------------------------------------------------------------------------

_NOTHING = Q(pk__in=[])


def kind_of(model: type[models.Model] | str) -> Kind:
    label = model if isinstance(model, str) else model._meta.label
    try:
        return KINDS[label]
    except KeyError:
        raise LookupError(f"No access rule for {label}: describe it in lms.access.KINDS") from None


def site_path(model: type[models.Model]) -> str:
    """The lookup from `model` to its site (e.g. "cem__site" for cohorts)."""
    return kind_of(model).site


@dataclass(frozen=True)
class _Condition:
    """Rows of one kind given to a user: `q` over `paths` (lookups from the model)."""

    q: Q
    paths: tuple[str, ...] = ()


def _condition(
    user: User, kind: Kind, audiences: Audience, *, superuser: bool = True
) -> _Condition | None:
    """The rows of `kind` that `audiences` give `user`: None for all of them. `superuser`
    False asks for what the audiences give even a superuser (her own records, say)."""
    if not _authenticated(user) or not audiences:
        return _Condition(_NOTHING)
    if superuser and user.is_superuser:
        return None
    roles = user_roles(user)
    if ACCREDITORS in audiences and Role.ACCREDITOR in roles:
        return None
    parts: list[tuple[str, object]] = []
    if COORDINATORS in audiences and Role.COORDINATOR in roles:
        scope = coordination_scope(user)
        if scope.every:
            return None
        parts.append((kind.site, scope.site_id))
    if TRAINERS in audiences and kind.trainers and Role.TRAINER in roles:
        parts.append((kind.trainers, user))
    if SITE_TRAINERS in audiences and Role.TRAINER in roles and home_site_id(user):
        parts.append((kind.site, home_site_id(user)))
    if OWNER in audiences and kind.owner:
        parts.append((kind.owner, user))
    if not parts:
        return _Condition(_NOTHING)
    q = Q()
    for path, value in parts:
        q |= Q(**{path: value})
    return _Condition(q, tuple(path for path, _value in parts))


def _many_valued(model: type[models.Model], path: str) -> bool:
    """Whether `path` crosses a relation with many rows (many-to-many, reverse foreign key)."""
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _queryset(objects: type[models.Model] | QuerySet) -> QuerySet:
    return objects._default_manager.all() if isinstance(objects, type) else objects


def _apply(queryset: QuerySet, condition: _Condition | None) -> QuerySet:
    if condition is None:
        return queryset
    if condition.q is _NOTHING:
        return queryset.none()
    model = queryset.model
    if not any(_many_valued(model, path) for path in condition.paths):
        return queryset.filter(condition.q)
    # Lookups across many-to-many relations (trainers, enrollments) would repeat rows: filter
    # through a subquery, so the caller's annotations and ordering stay as they are.
    return queryset.filter(pk__in=model._default_manager.filter(condition.q).values("pk"))


def readable(user: User, objects: type[models.Model] | QuerySet) -> QuerySet:
    """The objects (a model, or a queryset to narrow) that `user` may read."""
    queryset = _queryset(objects)
    kind = kind_of(queryset.model)
    return _apply(queryset, _condition(user, kind, kind.read))


def manageable(user: User, objects: type[models.Model] | QuerySet) -> QuerySet:
    """The objects `user` may change: a trainer's cohorts and their sessions, a coordinator's
    site (every site for national ones). Accreditors change nothing."""
    queryset = _queryset(objects)
    kind = kind_of(queryset.model)
    return _apply(queryset, _condition(user, kind, kind.manage))


def owned(user: User, objects: type[models.Model] | QuerySet) -> QuerySet:
    """Only the user's own records (an activist's enrollments, certificates, sessions), for
    superusers too."""
    queryset = _queryset(objects)
    return _apply(queryset, _condition(user, kind_of(queryset.model), OWNER, superuser=False))


def in_figures(user: User, objects: type[models.Model] | QuerySet) -> QuerySet:
    """The rows whose figures the user may read (dashboards, de-identified exports), never
    to show one by one: a coordinator's site, every site for national ones and accreditors."""
    queryset = _queryset(objects)
    kind = kind_of(queryset.model)
    return _apply(queryset, _condition(user, kind, kind.figures))


def trained(user: User, objects: type[models.Model] | QuerySet) -> QuerySet:
    """Only what the user trains, if she has the trainer role (superusers included)."""
    queryset = _queryset(objects)
    return _apply(queryset, _condition(user, kind_of(queryset.model), TRAINERS, superuser=False))


def coordinated(user: User, objects: type[models.Model] | QuerySet) -> QuerySet:
    """What the user coordinates: her site's objects, every site's for national coordinators
    and superusers, nothing for anybody else. The admin and the coordinator's dashboard show
    this, and nothing a trainer role would add."""
    queryset = _queryset(objects)
    return _apply(queryset, _condition(user, kind_of(queryset.model), COORDINATORS))


def read_filter(user: User, model: type[models.Model] | str, *, through: str) -> Q:
    """The condition of :func:`readable` on rows reached `through` a relation, for a filtered
    aggregate (``Count("responses", filter=read_filter(user, Response, through="responses"))``)."""
    model = apps.get_model(model) if isinstance(model, str) else model
    kind = kind_of(model)
    condition = _condition(user, kind, kind.read)
    if condition is None:
        return Q()
    if condition.q is _NOTHING:
        return Q(**{f"{through}__pk__in": []})
    rows = model._default_manager.filter(condition.q).values("pk")
    return Q(**{f"{through}__pk__in": rows})


def read_or_404(user: User, objects: type[models.Model] | QuerySet, **lookup) -> models.Model:
    """One object the user may read; 404 when it does not exist or is not hers to read."""
    return get_object_or_404(readable(user, objects), **lookup)


def manage_or_404(user: User, objects: type[models.Model] | QuerySet, **lookup) -> models.Model:
    """One object the user may change; 404 when it does not exist or is not hers to change."""
    return get_object_or_404(manageable(user, objects), **lookup)


def profile_candidates(user: User) -> QuerySet:
    """People `user` may give a participant profile, hence a site: active people without one.
    A site on a coordinator's or accreditor's profile limits what they see, so only national
    coordinators and superusers give one to them (or to staff)."""
    people = apps.get_model("auth.User").objects.filter(
        profile__isnull=True, is_superuser=False, is_active=True
    )
    scope = coordination_scope(user)
    if scope.is_empty:
        return people.none()
    if not scope.every:
        people = people.exclude(is_staff=True).exclude(
            groups__name__in=[Role.COORDINATOR, Role.ACCREDITOR]
        )
    return people


def coordinates_sites(user: User, site_ids: Iterable[int]) -> bool:
    """Whether the user coordinates every one of the sites (what spans sites, such as a
    validation round's definition, is changed by those who coordinate all of them)."""
    scope = coordination_scope(user)
    if scope.every:
        return True
    return scope.site_id is not None and set(site_ids) <= {scope.site_id}


def sites_to_manage(user: User, model: type[models.Model] | str) -> QuerySet[Site]:
    """The sites where the user may manage objects of `model` by their site (to create one)."""
    kind, ids = kind_of(model), set()
    scope = coordination_scope(user) if COORDINATORS in kind.manage else NO_SITE
    if scope.every:
        return Site.objects.all()
    if SITE_TRAINERS in kind.manage and has_any_role(user, {Role.TRAINER}):
        ids.add(home_site_id(user))
    return Site.objects.filter(pk__in={pk for pk in ids | {scope.site_id} if pk})


def may_manage(user: User, instance: models.Model) -> bool:
    return manageable(user, type(instance)).filter(pk=instance.pk).exists()


def may_issue_certificates(user: User, cohort: models.Model) -> bool:
    """Coordinators (and superusers) issue, close and revoke in the cohorts they manage."""
    return has_any_role(user, COORDINATES) and may_manage(user, cohort)
