"""Reading validation rounds, scoped by :mod:`lms.access`: the rounds a user reaches, one
round's overview, its participants and the people who may join it, an activist's own rounds.
Each reads in a fixed number of queries, whatever the number of participants."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from courses.validation.keys import research_codes_of
from courses.validation.models import (
    ValidationConsent,
    ValidationFeedback,
    ValidationFinding,
    ValidationItem,
    ValidationParticipant,
    ValidationRound,
    ValidationWorkshop,
)
from courses.validation.services.participants import consent_is_current
from lms import access
from lms.roles import Role


def rounds_for(user: AbstractBaseUser) -> QuerySet[ValidationRound]:
    """The rounds the user reaches, newest first, with their course and sites."""
    return (
        access.readable(user, ValidationRound.objects.select_related("course"))
        .prefetch_related("sites")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-starts_on", "-pk")
    )


def round_or_404(user: AbstractBaseUser, round_id: int) -> ValidationRound:
    rounds = ValidationRound.objects.select_related("course", "course_revision__user")
    return access.read_or_404(user, rounds, pk=round_id)


def managed_round_or_404(user: AbstractBaseUser, round_id: int) -> ValidationRound:
    rounds = ValidationRound.objects.select_related("course", "course_revision__user")
    return access.manage_or_404(user, rounds, pk=round_id)


@dataclass(frozen=True)
class RoundOverview:
    round: ValidationRound
    items: list[ValidationItem]
    sites: list
    cems: list
    participants_by_site: dict[int, int]  # in the user's scope
    consents: Counter  # decision → count, in the user's scope
    feedback_count: int  # added up, in the user's scope
    paper_count: int
    workshops: list[ValidationWorkshop]  # added up: site, date, headcount
    editable_workshops: set[int]
    finding_count: int
    defines: bool  # may change the round's definition
    records_at: list  # sites where the user records workshops and paper forms
    reads_results: bool

    @property
    def participant_count(self) -> int:
        return sum(self.participants_by_site.values())


def round_overview(user: AbstractBaseUser, round_: ValidationRound) -> RoundOverview:
    sites = list(round_.sites.all())
    participants = access.readable(user, ValidationParticipant.objects.filter(round=round_))
    per_site = dict(participants.values_list("site_id").annotate(n=Count("pk")).order_by())
    consents = Counter(
        dict(
            ValidationConsent.objects.filter(participant__in=participants)
            .values_list("decision")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    feedback = access.in_figures(user, ValidationFeedback.objects.filter(round=round_)).aggregate(
        total=Count("pk"), paper=Count("pk", filter=Q(source=ValidationFeedback.Source.PAPER))
    )
    site_ids = [site.pk for site in sites]
    return RoundOverview(
        round=round_,
        items=list(round_.items.select_related("session")),
        sites=sites,
        cems=list(round_.cems.select_related("site")),
        participants_by_site=per_site,
        consents=consents,
        feedback_count=feedback["total"],
        paper_count=feedback["paper"],
        workshops=list(
            access.in_figures(user, round_.workshops.select_related("site", "cem")).annotate(
                people=Sum("headcounts__count")
            )
        ),
        editable_workshops=set(
            access.manageable(user, round_.workshops.all()).values_list("pk", flat=True)
        ),
        finding_count=access.readable(user, round_.findings.all()).count(),
        defines=access.may_manage(user, round_) and access.coordinates_sites(user, site_ids),
        records_at=list(access.sites_to_manage(user, ValidationWorkshop).filter(pk__in=site_ids)),
        reads_results=access.has_any_role(user, access.READS_EVIDENCE),
    )


@dataclass(frozen=True)
class ParticipantRow:
    participant: ValidationParticipant
    consent: ValidationConsent | None
    has_feedback: bool

    @property
    def name(self) -> str:
        person = self.participant.person
        return person.get_full_name() or person.get_username()


def round_participants(user: AbstractBaseUser, round_: ValidationRound) -> list[ParticipantRow]:
    """The participants the user reaches, with their consent and whether feedback is stored
    under their research code (yes or no, never what it says)."""
    participants = list(
        access.readable(user, round_.participants.all())
        .select_related("person__profile", "cem", "site")
        .prefetch_related(Prefetch("consent", queryset=ValidationConsent.objects.all()))
        .order_by("site__name", "person__last_name", "person__first_name", "pk")
    )
    codes = research_codes_of(p.person for p in participants)
    given = set(
        ValidationFeedback.objects.filter(
            round=round_, research_code__in=list(codes.values())
        ).values_list("research_code", flat=True)
    )
    return [
        ParticipantRow(
            participant=p,
            consent=getattr(p, "consent", None),
            has_feedback=codes.get(p.person_id) in given,
        )
        for p in participants
    ]


def participant_candidates(user: AbstractBaseUser, round_: ValidationRound) -> QuerySet[User]:
    """Activists registered at the round's CEMs, of the sites the user coordinates, who do not
    take part yet."""
    people = User.objects.filter(
        is_active=True,
        groups__name=Role.ACTIVIST,
        profile__cem__in=round_.cems.all(),
    ).exclude(validation_participations__round=round_)
    return (
        access.coordinated(user, people)
        .select_related("profile__cem")
        .order_by("profile__cem__name", "last_name", "first_name", "pk")
        .distinct()
    )


def recordable_participants(user: AbstractBaseUser, round_: ValidationRound):
    """The participants whose paper forms the user may type in."""
    return (
        access.manageable(user, round_.participants.all())
        .select_related("person", "cem", "consent")
        .order_by("site__name", "person__last_name", "person__first_name", "pk")
    )


def participation_of(user: AbstractBaseUser, round_id: int) -> ValidationParticipant:
    """The signed-in person's own participation in a round (404 otherwise)."""
    return get_object_or_404(
        access.owned(user, ValidationParticipant).select_related("round__course", "site"),
        round_id=round_id,
        person__profile__isnull=False,
    )


@dataclass(frozen=True)
class MyRound:
    participant: ValidationParticipant
    consented: bool
    sent: bool

    @property
    def round(self) -> ValidationRound:
        return self.participant.round


def my_open_rounds(user: AbstractBaseUser) -> list[MyRound]:
    """The open rounds the person takes part in, for her dashboard: whether she agreed and
    whether her feedback is in (three queries)."""
    participations = list(
        access.owned(user, ValidationParticipant)
        .filter(round__status=ValidationRound.Status.OPEN, person__profile__isnull=False)
        .select_related("round__course", "consent")
        .order_by("round__ends_on", "pk")
    )
    if not participations:
        return []
    code = research_codes_of([user]).get(user.pk)
    sent = set(
        ValidationFeedback.objects.filter(
            round_id__in=[p.round_id for p in participations], research_code=code
        ).values_list("round_id", flat=True)
    )
    return [
        MyRound(participant=p, consented=consent_is_current(p), sent=p.round_id in sent)
        for p in participations
    ]


def findings_of(user: AbstractBaseUser, round_: ValidationRound) -> list[ValidationFinding]:
    return list(
        access.readable(user, round_.findings.all())
        .prefetch_related("items", "answers__page")
        .order_by("pk")
    )
