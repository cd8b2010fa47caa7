"""Who takes part in a round, and their consent to it.

People are chosen from the registered profiles of the round's CEMs, or imported from a CSV file
with the roster import's columns and rules (:mod:`courses.services.roster_import`): the whole
file is checked first, and either everybody is added or nobody. Consent is recorded like the
questionnaires' consent: a decision against a version of the text, with its time, audit-logged;
a refusal is recorded too, and costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from courses.services.roster_csv import RosterProblem, person_key
from courses.services.roster_import import roster_match_people, roster_people_save, roster_read
from courses.validation.keys import has_given_feedback
from courses.validation.models import ValidationConsent, ValidationParticipant, ValidationRound
from lms import access
from lms.audit import audit_entry, audit_record, model_snapshot
from lms.models import AuditLogEntry
from lms.roles import Role


@dataclass
class ParticipantImportResult:
    problems: list[RosterProblem] = field(default_factory=list)
    participants: list[ValidationParticipant] = field(default_factory=list)
    created_people: int = 0
    reused_people: int = 0
    consents: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _locked_round(round_: ValidationRound) -> ValidationRound:
    return ValidationRound.objects.select_for_update().get(pk=round_.pk)


def _require_not_closed(round_: ValidationRound) -> None:
    if round_.status == ValidationRound.Status.CLOSED:
        raise ValidationError(_("This round is closed and takes no new participants."))


def _name(person: User) -> str:
    return person.get_full_name() or person.get_username()


def _create(actor, round_: ValidationRound, people: list[User], source: str):
    participants = ValidationParticipant.objects.bulk_create(
        [
            ValidationParticipant(
                round=round_,
                person=person,
                site_id=person.profile.site_id,
                cem_id=person.profile.cem_id,
                source=source,
                added_by=actor,
            )
            for person in people
        ]
    )
    AuditLogEntry.objects.bulk_create(
        [
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.CREATE,
                instance=participant,
                site=participant.site_id,
                after=model_snapshot(participant),
            )
            for participant in participants
        ]
    )
    return participants


@transaction.atomic
def participants_add(
    *, actor: AbstractBaseUser, round: ValidationRound, people: Iterable[User]
) -> list[ValidationParticipant]:
    """Add registered activists of the round's CEMs, all or none: each one needs a profile at
    one of its CEMs, at a site the actor coordinates, and not to be in the round already."""
    round_ = _locked_round(round)
    _require_not_closed(round_)
    ids = {person.pk for person in people}
    people = list(
        User.objects.filter(pk__in=ids).select_related("profile").order_by("last_name", "pk")
    )
    cems = set(round_.cems.values_list("pk", flat=True))
    present = set(round_.participants.values_list("person_id", flat=True))
    coordinated = set(
        access.coordinated(actor, User.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    activists = set(
        User.objects.filter(pk__in=ids, groups__name=Role.ACTIVIST).values_list("pk", flat=True)
    )
    problems = []
    if not ids:
        problems.append(_("Choose at least one person."))
    for person in people:
        profile = getattr(person, "profile", None)
        if person.pk in present:
            problems.append(
                _("%(name)s already takes part in this round.") % {"name": _name(person)}
            )
        elif profile is None or profile.cem_id not in cems:
            problems.append(
                _("%(name)s is not registered at one of the round's CEMs.")
                % {"name": _name(person)}
            )
        elif person.pk not in coordinated:
            problems.append(
                _("%(name)s is at a site you do not coordinate.") % {"name": _name(person)}
            )
        elif person.pk not in activists:
            problems.append(_("%(name)s is not an activist.") % {"name": _name(person)})
    if len(people) != len(ids):
        problems.append(_("Some of the people chosen do not exist."))
    if problems:
        raise ValidationError(problems)
    return _create(actor, round_, people, ValidationParticipant.Source.PROFILE)


@transaction.atomic
def participants_import(
    *, actor: AbstractBaseUser, round: ValidationRound, data: bytes
) -> ParticipantImportResult:
    """Check a roster CSV against the round and, only if every row is right, create the people
    who are new and add everybody. A row with a consent date records that the person signed
    this round's consent form (its current version) on that day."""
    round_ = _locked_round(round)
    _require_not_closed(round_)
    cems = list(round_.cems.select_related("site"))
    reader, people, problems = roster_read(data, cems=cems, place=round_.title)
    if reader is None:
        return ParticipantImportResult(problems=problems)
    if reader.headers and reader.row_count:
        members = round_.participants.select_related("person__profile")
        present = {
            person_key(m.person.first_name, m.person.last_name, m.person.profile.birth_year)
            for m in members
        }
        roster_match_people(
            reader,
            people,
            site_ids={cem.site_id for cem in cems},
            present=present,
            present_message=_("%(name)s already takes part in this round."),
        )
        outside = sorted(
            {
                p.cem.site.name
                for p in people
                if not access.coordinates_sites(actor, [p.cem.site_id])
            }
        )
        if outside:
            reader.problem(
                None,
                "",
                _("The file has people of sites you do not coordinate: %(sites)s.")
                % {"sites": ", ".join(outside)},
                "other_site",
            )
    result = ParticipantImportResult(problems=reader.problems, ignored_columns=reader.ignored)
    if result.problems:
        return result
    saved = roster_people_save(people)
    result.created_people = sum(1 for _user, created in saved if created)
    result.reused_people = len(saved) - result.created_people
    users = [user for user, _created in saved]
    result.participants = _create(actor, round_, users, ValidationParticipant.Source.CSV)
    for person, participant in zip(people, result.participants, strict=True):
        if person.consent_given_at and person.consent_method == Enrollment.ConsentMethod.WRITTEN:
            _decide(
                participant,
                accepted=True,
                method=ValidationConsent.Method.PAPER,
                actor=actor,
                decided_at=person.consent_given_at,
                text_version=round_.consent_version,
            )
            result.consents += 1
    return result


def _decide(participant, *, accepted, method, actor, decided_at, text_version):
    previous = ValidationConsent.objects.filter(participant=participant).first()
    before = model_snapshot(previous) if previous else None
    consent, _created = ValidationConsent.objects.update_or_create(
        participant=participant,
        defaults={
            "decision": ValidationConsent.Decision.ACCEPTED
            if accepted
            else ValidationConsent.Decision.REFUSED,
            "text_version": text_version,
            "decided_at": decided_at,
            "method": method,
            "recorded_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE if previous else AuditLogEntry.Action.CREATE,
        instance=consent,
        site=participant.site_id,
        before=before,
        after=model_snapshot(consent),
    )
    return consent


@transaction.atomic
def validation_consent_decide(
    *,
    participant: ValidationParticipant,
    accepted: bool,
    text_version: str,
    method: str = ValidationConsent.Method.ONLINE,
    actor: AbstractBaseUser | None = None,
) -> ValidationConsent:
    """Record a participant's decision about the text of `text_version`, which must be the
    round's current one. Online, she decides herself; on paper, the person who types the form
    records it (`actor`)."""
    participant = (
        # Only the participant's row is locked: PostgreSQL cannot lock the nullable side of
        # the outer joins to her profile and consent.
        ValidationParticipant.objects.select_for_update(of=("self",))
        .select_related("round", "person")
        .get(pk=participant.pk)
    )
    if participant.round.status == ValidationRound.Status.CLOSED:
        raise ValidationError(_("This round is closed."))
    if text_version != participant.round.consent_version:
        raise ValidationError(_("The information on this page has changed. Please read it again."))
    if method == ValidationConsent.Method.ONLINE:
        actor = participant.person
    return _decide(
        participant,
        accepted=accepted,
        method=method,
        actor=actor,
        decided_at=timezone.now(),
        text_version=text_version,
    )


def consent_is_current(participant: ValidationParticipant) -> bool:
    """She accepted the round's current consent text."""
    consent = getattr(participant, "consent", None)
    return (
        consent is not None
        and consent.decision == ValidationConsent.Decision.ACCEPTED
        and consent.text_version == participant.round.consent_version
    )


@transaction.atomic
def participant_remove(*, actor: AbstractBaseUser, participant: ValidationParticipant) -> None:
    """Take someone out of a round, only while nothing is recorded for her (no consent, no
    feedback): what was recorded stays."""
    participant = ValidationParticipant.objects.select_for_update().get(pk=participant.pk)
    if ValidationConsent.objects.filter(participant=participant).exists() or has_given_feedback(
        participant
    ):
        raise ValidationError(
            _("Something is already recorded for this person in the round: she stays in it.")
        )
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.DELETE,
        instance=participant,
        site=participant.site_id,
        before=model_snapshot(participant),
    )
    participant.delete()
