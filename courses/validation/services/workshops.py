"""Validation workshops (focus groups): who came, in counts by sex and generation only, and per
session or concept the group's assessment (accept, adapt, reject) with notes and short anonymous
quotes.

Notes and quotes carry no names: before saving, the texts are searched for the full name of any
participant of the round (:mod:`courses.validation.names`); when one is found nothing is saved
and the facilitator is asked to remove it, or to confirm that it is not a participant's name.
A re-sent form carries the same client id and is recognised, never stored twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.validation.models import (
    ValidationRound,
    ValidationWorkshop,
    WorkshopAssessment,
    WorkshopHeadcount,
)
from courses.validation.names import NameFinder
from lms import access
from lms.audit import audit_record, model_snapshot
from lms.models import CEM, AuditLogEntry, ParticipantProfile, Site

SEXES = tuple(ParticipantProfile.Sex.values)
GENERATIONS = tuple(ParticipantProfile.Generation.values)
MAX_PEOPLE = 500


@dataclass(frozen=True)
class ItemAssessment:
    verdict: str = ""
    notes: str = ""
    quotes: str = ""


@dataclass(frozen=True)
class WorkshopRecord:
    """What a facilitator records about one workshop."""

    site: Site
    held_on: dt.date
    cem: CEM | None = None
    place: str = ""
    notes: str = ""
    headcount: dict[tuple[str, str], int] = field(default_factory=dict)
    assessments: dict[str, ItemAssessment] = field(default_factory=dict)  # by item code


class NamesInNotes(ValidationError):
    """Some notes or quotes contain the full name of a participant of the round."""

    def __init__(self, places: list[str]):
        self.places = places
        super().__init__(
            _(
                "These texts contain the full name of a participant of this round: %(places)s. "
                "Remove the name, or confirm that it is not a participant's."
            )
            % {"places": "; ".join(places)},
            code="names",
        )


def _name_finder(round_: ValidationRound) -> NameFinder:
    return NameFinder(round_.participants.values_list("person__first_name", "person__last_name"))


def names_found(round_: ValidationRound, texts: dict[str, str]) -> list[str]:
    """The labels of `texts` (label → text) that contain a participant's full name."""
    finder = _name_finder(round_)
    return [label for label, text in texts.items() if finder.contains_name(text)]


def _texts(record: WorkshopRecord, titles: dict[str, str]) -> dict[str, str]:
    texts = {str(_("General notes")): record.notes}
    for code, assessment in record.assessments.items():
        title = titles.get(code, code)
        texts[_("Notes on %(item)s") % {"item": title}] = assessment.notes
        texts[_("Quotes on %(item)s") % {"item": title}] = assessment.quotes
    return texts


def _check(actor, round_: ValidationRound, record: WorkshopRecord, names_checked: bool):
    problems = []
    if round_.status != ValidationRound.Status.OPEN:
        problems.append(_("Workshops are recorded while the round is open."))
    if not round_.sites.filter(pk=record.site.pk).exists():
        problems.append(_("This site does not take part in the round."))
    elif not access.sites_to_manage(actor, ValidationWorkshop).filter(pk=record.site.pk).exists():
        problems.append(_("You do not record workshops at this site."))
    if record.cem is not None and (
        record.cem.site_id != record.site.pk or not round_.cems.filter(pk=record.cem.pk).exists()
    ):
        problems.append(_("The CEM is not one of the round's CEMs at this site."))
    if record.held_on > timezone.localdate():
        problems.append(_("The workshop date is in the future."))
    counts = record.headcount
    if set(counts) - {(s, g) for s in SEXES for g in GENERATIONS}:
        problems.append(_("The headcount has groups that do not exist."))
    if any(not isinstance(n, int) or n < 0 for n in counts.values()):
        problems.append(_("Each headcount is a whole number, zero or more."))
    elif not 0 < sum(counts.values()) <= MAX_PEOPLE:
        problems.append(
            _("Count the people who came: between 1 and %(max)s.") % {"max": MAX_PEOPLE}
        )
    items = {item.code: item for item in round_.items.all()}
    if set(record.assessments) - set(items):
        problems.append(_("Some assessments are about sessions or concepts not in this round."))
    verdicts = {v for a in record.assessments.values() for v in [a.verdict] if v}
    if verdicts - set(WorkshopAssessment.Verdict.values):
        problems.append(_("An assessment is accept, adapt or reject."))
    if problems:
        raise ValidationError(problems)
    if not names_checked:
        places = names_found(round_, _texts(record, {c: i.title for c, i in items.items()}))
        if places:
            raise NamesInNotes(places)
    return items


def _save_parts(workshop: ValidationWorkshop, record: WorkshopRecord, items: dict) -> None:
    workshop.headcounts.all().delete()
    workshop.assessments.all().delete()
    WorkshopHeadcount.objects.bulk_create(
        WorkshopHeadcount(workshop=workshop, sex=sex, generation=generation, count=n)
        for (sex, generation), n in sorted(record.headcount.items())
        if n
    )
    WorkshopAssessment.objects.bulk_create(
        WorkshopAssessment(
            workshop=workshop,
            item=items[code],
            verdict=a.verdict,
            notes=a.notes.strip(),
            quotes=a.quotes.strip(),
        )
        for code, a in record.assessments.items()
        if a.verdict or a.notes.strip() or a.quotes.strip()
    )


def workshop_snapshot(workshop: ValidationWorkshop) -> dict:
    snapshot = model_snapshot(workshop)
    snapshot["headcount"] = {
        f"{h.sex}/{h.generation}": h.count
        for h in workshop.headcounts.order_by("sex", "generation")
    }
    snapshot["assessments"] = {
        str(a.item_id): [a.verdict, a.notes, a.quotes]
        for a in workshop.assessments.order_by("item")
    }
    return snapshot


@transaction.atomic
def workshop_record(
    *,
    actor: AbstractBaseUser,
    round: ValidationRound,
    record: WorkshopRecord,
    client_uuid: uuid.UUID,
    names_checked: bool = False,
) -> tuple[ValidationWorkshop, bool]:
    """Record a workshop once: (workshop, newly_recorded). A re-sent form (same client id)
    returns the stored workshop and changes nothing."""
    round_ = ValidationRound.objects.select_for_update().get(pk=round.pk)
    stored = ValidationWorkshop.objects.filter(client_uuid=client_uuid).first()
    if stored is not None:
        if stored.round_id != round_.pk:
            raise ValidationError(_("This form belongs to another round."), code="conflict")
        return stored, False
    items = _check(actor, round_, record, names_checked)
    workshop = ValidationWorkshop(
        round=round_,
        site=record.site,
        cem=record.cem,
        held_on=record.held_on,
        place=record.place.strip(),
        notes=record.notes.strip(),
        recorded_by=actor,
        client_uuid=client_uuid,
    )
    workshop.full_clean()
    workshop.save()
    _save_parts(workshop, record, items)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=workshop,
        site=workshop.site_id,
        after=workshop_snapshot(workshop),
    )
    return workshop, True


@transaction.atomic
def workshop_update(
    *,
    actor: AbstractBaseUser,
    workshop: ValidationWorkshop,
    record: WorkshopRecord,
    names_checked: bool = False,
) -> ValidationWorkshop:
    """Correct a workshop record of an open round; the change is audit-logged."""
    workshop = ValidationWorkshop.objects.select_for_update().get(pk=workshop.pk)
    if not access.may_manage(actor, workshop):
        raise ValidationError(_("You do not record workshops at this site."))
    round_ = ValidationRound.objects.select_for_update().get(pk=workshop.round_id)
    items = _check(actor, round_, record, names_checked)
    before = workshop_snapshot(workshop)
    workshop.site, workshop.cem, workshop.held_on = record.site, record.cem, record.held_on
    workshop.place, workshop.notes = record.place.strip(), record.notes.strip()
    workshop.full_clean()
    workshop.save()
    _save_parts(workshop, record, items)
    after = workshop_snapshot(workshop)
    if after != before:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE,
            instance=workshop,
            site=workshop.site_id,
            before=before,
            after=after,
        )
    return workshop
