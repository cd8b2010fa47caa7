"""A validation round: the course revision it validates, its items, sites, dates and consent.

What is validated is frozen when the round is created: the course revision (a draft is fine:
validation comes before publishing), and for each session chosen its revision, title and
objectives as plain text. Items, sites and CEMs change only while the round is in preparation;
the consent text changes only with a new version, so that every decision recorded is about the
text the person read.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Revision

from courses.models import CoursePage, SessionPage
from courses.validation.models import ValidationItem, ValidationRound
from lms import access
from lms.audit import audit_record, model_snapshot
from lms.models import CEM, AuditLogEntry, Site

ROUND_M2M = ("sites", "cems")


def default_consent_text() -> str:
    """The consent text a new round starts with, in the language of the page."""
    return _(
        "We invite you to take part in the validation of a training course before it is "
        "finished. You will read or listen to its sessions and ideas and say, for each one, "
        "whether it is clear, relevant to your community, fits how people here talk and live, "
        "and whether you would feel safe running it; you may add comments. Your answers are "
        "stored under a research code, never with your name, and are only shown added up, for "
        "groups of 5 or more people. Taking part is voluntary: you may refuse, skip any "
        "question or stop at any time, and it does not affect your courses or certificates. "
        "You can exercise your rights of access, rectification, cancellation and opposition "
        "(Ley 29733) through the coordinator of your CEM."
    )


def plain_text(markup: str) -> str:
    """Rich text as one plain paragraph (what a participant reads about a session)."""
    text = html.unescape(strip_tags(re.sub(r"</(p|li|h\d)>", r"\g<0> ", markup or "")))
    return " ".join(text.split())


def _audit_site(round_: ValidationRound) -> int | None:
    """A round of one site is logged under it; one that spans sites, nationally."""
    site_ids = list(round_.sites.values_list("pk", flat=True))
    return site_ids[0] if len(site_ids) == 1 else None


def _snapshot(round_: ValidationRound) -> dict:
    return model_snapshot(round_, many_to_many=ROUND_M2M)


def _check_places(actor, sites: list[Site], cems: list[CEM]) -> list[str]:
    problems = []
    if not sites:
        problems.append(_("Choose at least one site."))
    site_ids = {site.pk for site in sites}
    if not access.coordinates_sites(actor, site_ids):
        problems.append(_("You can only open rounds at the sites you coordinate."))
    strays = sorted(cem.name for cem in cems if cem.site_id not in site_ids)
    if strays:
        problems.append(
            _("These CEMs are not at the chosen sites: %(names)s.") % {"names": ", ".join(strays)}
        )
    return problems


def _check_dates_and_consent(starts_on, ends_on, consent_version, consent_text) -> list[str]:
    problems = []
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(_("The end date is before the start date."))
    if not (consent_version or "").strip():
        problems.append(_("The consent text needs a version (for example 2026-1)."))
    if not (consent_text or "").strip():
        problems.append(_("The consent text cannot be empty."))
    return problems


def course_sessions(course: CoursePage):
    """Every session of the course, published or still a draft, in order."""
    return SessionPage.objects.child_of(course).order_by("number", "path")


def _session_items(
    round_: ValidationRound, sessions: Iterable[SessionPage]
) -> list[ValidationItem]:
    items = []
    for position, session in enumerate(sessions, start=1):
        revision = session.latest_revision
        content = revision.as_object() if revision is not None else session
        items.append(
            ValidationItem(
                round=round_,
                kind=ValidationItem.Kind.SESSION,
                code=f"s{position:02d}",
                position=position,
                session=session,
                session_revision=revision,
                title=f"{content.number}. {content.title}"[:255],
                description=plain_text(content.objectives),
            )
        )
    return items


@transaction.atomic
def round_create(
    *,
    actor: AbstractBaseUser,
    course: CoursePage,
    revision: Revision | None,
    title: str,
    purpose: str = "",
    sites: Iterable[Site],
    cems: Iterable[CEM],
    starts_on: dt.date,
    ends_on: dt.date,
    consent_version: str,
    consent_text: str,
    sessions: Iterable[SessionPage] | None = None,
) -> ValidationRound:
    """Open a round, in preparation, on a revision of the course (its latest by default) with
    the chosen sessions (every session by default) as its first items."""
    sites, cems = list(sites), list(cems)
    revision = revision or course.latest_revision
    problems = _check_places(actor, sites, cems)
    problems += _check_dates_and_consent(starts_on, ends_on, consent_version, consent_text)
    if revision is None:
        problems.append(_("This course has no saved revision yet: save it in the editor first."))
    elif not course.revisions.filter(pk=revision.pk).exists():
        problems.append(_("The revision chosen is not a revision of this course."))
    available = list(course_sessions(course))
    chosen = available if sessions is None else list(sessions)
    if {s.pk for s in chosen} - {s.pk for s in available}:
        problems.append(_("Some of the sessions chosen are not sessions of this course."))
    if problems:
        raise ValidationError(problems)
    round_ = ValidationRound(
        course=course,
        course_revision=revision,
        curriculum_version=revision.as_object().curriculum_version,
        title=title,
        purpose=purpose,
        starts_on=starts_on,
        ends_on=ends_on,
        consent_version=consent_version.strip(),
        consent_text=consent_text.strip(),
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    round_.sites.set(sites)
    round_.cems.set(cems)
    ordered = [s for s in available if s.pk in {c.pk for c in chosen}]
    ValidationItem.objects.bulk_create(_session_items(round_, ordered))
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=round_,
        site=_audit_site(round_),
        after=_snapshot(round_),
    )
    return round_


def _locked(round_: ValidationRound) -> ValidationRound:
    return ValidationRound.objects.select_for_update().get(pk=round_.pk)


def _require_definition_rights(actor, round_: ValidationRound) -> None:
    site_ids = round_.sites.values_list("pk", flat=True)
    if not access.coordinates_sites(actor, site_ids):
        raise ValidationError(
            _(
                "This round spans sites you do not coordinate: only a national coordinator "
                "can change it."
            )
        )


@transaction.atomic
def round_update(
    *,
    actor: AbstractBaseUser,
    round: ValidationRound,
    title: str,
    purpose: str,
    sites: Iterable[Site],
    cems: Iterable[CEM],
    starts_on: dt.date,
    ends_on: dt.date,
    consent_version: str,
    consent_text: str,
) -> ValidationRound:
    """Change a round's definition. Sites and CEMs change only in preparation; a closed round
    changes no more; a new consent text needs a new version."""
    round_ = _locked(round)
    _require_definition_rights(actor, round_)
    before = _snapshot(round_)
    sites, cems = list(sites), list(cems)
    problems = _check_places(actor, sites, cems)
    problems += _check_dates_and_consent(starts_on, ends_on, consent_version, consent_text)
    if round_.status == ValidationRound.Status.CLOSED:
        problems.append(_("This round is closed and changes no more."))
    places_changed = {s.pk for s in sites} != set(before["sites"]) or {c.pk for c in cems} != set(
        before["cems"]
    )
    if places_changed and round_.status != ValidationRound.Status.DRAFT:
        problems.append(_("Sites and CEMs can only change while the round is in preparation."))
    consent_version, consent_text = consent_version.strip(), consent_text.strip()
    if consent_text != round_.consent_text and consent_version == round_.consent_version:
        problems.append(_("A changed consent text needs a new version."))
    if problems:
        raise ValidationError(problems)
    round_.title, round_.purpose = title, purpose
    round_.starts_on, round_.ends_on = starts_on, ends_on
    round_.consent_version, round_.consent_text = consent_version, consent_text
    round_.full_clean()
    round_.save()
    round_.sites.set(sites)
    round_.cems.set(cems)
    after = _snapshot(round_)
    if after != before:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE,
            instance=round_,
            site=_audit_site(round_),
            before=before,
            after=after,
        )
    return round_


def _require_draft(round_: ValidationRound) -> None:
    if round_.status != ValidationRound.Status.DRAFT:
        raise ValidationError(
            _("Sessions and concepts can only change while the round is in preparation.")
        )


@transaction.atomic
def round_concept_add(
    *, actor: AbstractBaseUser, round: ValidationRound, kind: str, title: str, description: str
) -> ValidationItem:
    """A free-standing concept to validate (a key message, a proposed activity), after the
    sessions."""
    round_ = _locked(round)
    _require_definition_rights(actor, round_)
    _require_draft(round_)
    if kind == ValidationItem.Kind.SESSION or kind not in ValidationItem.Kind.values:
        raise ValidationError(
            {"kind": _("Choose a key message, a proposed activity or a concept.")}
        )
    items = list(round_.items.all())
    concepts = sum(1 for item in items if item.kind != ValidationItem.Kind.SESSION)
    item = ValidationItem(
        round=round_,
        kind=kind,
        code=f"c{concepts + 1:02d}",
        position=max((item.position for item in items), default=0) + 1,
        title=title.strip(),
        description=description.strip(),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=item,
        site=_audit_site(round_),
        after=model_snapshot(item),
    )
    return item


@transaction.atomic
def round_item_remove(*, actor: AbstractBaseUser, round: ValidationRound, item: ValidationItem):
    """Take a session or concept out of a round in preparation."""
    round_ = _locked(round)
    _require_definition_rights(actor, round_)
    _require_draft(round_)
    item = round_.items.get(pk=item.pk)
    before = model_snapshot(item)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.DELETE,
        instance=item,
        site=_audit_site(round_),
        before=before,
    )
    item.delete()


@transaction.atomic
def round_open(*, actor: AbstractBaseUser, round: ValidationRound) -> ValidationRound:
    """From preparation to collecting feedback: it needs something to validate and a place."""
    round_ = _locked(round)
    _require_definition_rights(actor, round_)
    if round_.status != ValidationRound.Status.DRAFT:
        raise ValidationError(_("Only a round in preparation can be opened."))
    problems = []
    if not round_.items.exists():
        problems.append(_("Add at least one session or concept before opening the round."))
    if not round_.cems.exists():
        problems.append(_("Choose the CEMs taking part before opening the round."))
    if problems:
        raise ValidationError(problems)
    return _set_status(actor, round_, ValidationRound.Status.OPEN, "opened_at")


@transaction.atomic
def round_close(*, actor: AbstractBaseUser, round: ValidationRound) -> ValidationRound:
    """No more feedback or workshop records; findings can still be written and decided."""
    round_ = _locked(round)
    _require_definition_rights(actor, round_)
    if round_.status != ValidationRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    return _set_status(actor, round_, ValidationRound.Status.CLOSED, "closed_at")


def _set_status(actor, round_: ValidationRound, status: str, stamp: str) -> ValidationRound:
    before = _snapshot(round_)
    round_.status = status
    setattr(round_, stamp, timezone.now())
    round_.save(update_fields=["status", stamp])
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=round_,
        site=_audit_site(round_),
        before=before,
        after=_snapshot(round_),
    )
    return round_
