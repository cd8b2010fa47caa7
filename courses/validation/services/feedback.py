"""Individual feedback on a round: four ratings and a comment per session or concept, and what
is missing, sent once, online by the participant or typed in from her paper form.

Saved whole and atomically: every value is checked first and nothing is kept when one is wrong.
A repeated submission changes nothing: the same submission key with the same answers is the
same form received twice; the same key with other answers is refused as a conflict; a second
form from the same person is not stored. Feedback is keyed by the research code
(:mod:`courses.validation.keys`), never by the person: online feedback records nobody, a paper
form records the facilitator who typed it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.validation.keys import research_code_of
from courses.validation.models import (
    RATING_CODES,
    SCALE_MAX,
    SCALE_MIN,
    ValidationAnswer,
    ValidationConsent,
    ValidationFeedback,
    ValidationParticipant,
    ValidationRound,
)
from courses.validation.services.participants import consent_is_current, validation_consent_decide
from lms import access
from lms.audit import audit_record
from lms.models import AuditLogEntry

MAX_COMMENT = 2000
MAX_MISSING = 4000


@dataclass(frozen=True)
class CleanAnswer:
    ratings: tuple[int | None, ...]  # in the order of RATING_CODES
    comment: str

    @property
    def given(self) -> bool:
        return any(value is not None for value in self.ratings) or bool(self.comment)


def _rating(value: object) -> tuple[int | None, bool]:
    if value is None or value == "":
        return None, True
    if isinstance(value, bool) or not isinstance(value, int):
        return None, False
    return value, SCALE_MIN <= value <= SCALE_MAX


def feedback_validate(
    round_: ValidationRound, answers: dict[str, dict], missing: str
) -> dict[int, CleanAnswer]:
    """Item id → clean answer. `answers` maps item codes to ``{rating code: 1–5 or None,
    "comment": text}``; every problem is reported at once."""
    items = {item.code: item for item in round_.items.all()}
    problems, clean = [], {}
    for code, given in answers.items():
        item = items.get(code)
        if item is None or not isinstance(given, dict):
            problems.append(
                _("“%(code)s” is not a session or concept of this round.") % {"code": code}
            )
            continue
        unknown = set(given) - set(RATING_CODES) - {"comment"}
        if unknown:
            problems.append(
                _("%(item)s: “%(name)s” is not one of the questions.")
                % {"item": item.title, "name": sorted(unknown)[0]}
            )
        ratings = []
        for rating in RATING_CODES:
            value, ok = _rating(given.get(rating))
            if not ok:
                problems.append(
                    _("%(item)s: each answer is a number from %(min)s to %(max)s.")
                    % {"item": item.title, "min": SCALE_MIN, "max": SCALE_MAX}
                )
            ratings.append(value)
        comment = str(given.get("comment") or "").strip()
        if len(comment) > MAX_COMMENT:
            problems.append(
                _("%(item)s: the comment is too long (at most %(max)s characters).")
                % {"item": item.title, "max": MAX_COMMENT}
            )
        answer = CleanAnswer(ratings=tuple(ratings), comment=comment)
        if answer.given:
            clean[item.pk] = answer
    if len(missing or "") > MAX_MISSING:
        problems.append(
            _("What is missing is too long (at most %(max)s characters).") % {"max": MAX_MISSING}
        )
    if not problems and not clean and not (missing or "").strip():
        problems.append(_("Nothing was answered: rate at least one session or concept."))
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    return clean


def _digest(clean: dict[int, CleanAnswer], missing: str) -> str:
    canonical = json.dumps(
        {
            "answers": {str(k): [list(a.ratings), a.comment] for k, a in sorted(clean.items())},
            "missing": missing,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _already_received(key: uuid.UUID, code: str, round_id: int, digest: str):
    """The stored feedback this submission repeats, or None; a conflict raises."""
    same_key = ValidationFeedback.objects.filter(submission_key=key).first()
    if same_key is not None:
        if (same_key.round_id, same_key.research_code, same_key.content_digest) != (
            round_id,
            code,
            digest,
        ):
            raise ValidationError(
                _("This form was already sent with other answers; nothing was changed."),
                code="conflict",
            )
        return same_key
    return ValidationFeedback.objects.filter(round_id=round_id, research_code=code).first()


@transaction.atomic
def feedback_submit(
    *,
    participant: ValidationParticipant,
    answers: dict[str, dict],
    missing: str,
    submission_key: uuid.UUID,
    source: str = ValidationFeedback.Source.ONLINE,
    entered_by: AbstractBaseUser | None = None,
) -> tuple[ValidationFeedback, bool]:
    """Store a participant's feedback once. Returns (feedback, newly_stored): a repeated form
    returns the stored one and False, changing nothing."""
    participant = (
        # Only the participant's row is locked: PostgreSQL cannot lock the nullable side of
        # the outer joins to her profile and consent.
        ValidationParticipant.objects.select_for_update(of=("self",))
        .select_related("round", "person__profile", "consent")
        .get(pk=participant.pk)
    )
    round_ = participant.round
    if round_.status != ValidationRound.Status.OPEN:
        raise ValidationError(_("This round is not open for feedback."))
    if not consent_is_current(participant):
        raise ValidationError(_("Taking part needs the participant's consent first."))
    missing = (missing or "").strip()
    clean = feedback_validate(round_, answers, missing)
    code = research_code_of(participant.person)
    digest = _digest(clean, missing)
    stored = _already_received(submission_key, code, round_.pk, digest)
    if stored is not None:
        return stored, False
    profile = participant.person.profile
    try:
        with transaction.atomic():
            feedback = ValidationFeedback.objects.create(
                round=round_,
                research_code=code,
                site_id=participant.site_id,
                sex=profile.sex,
                generation=profile.generation,
                source=source,
                entered_by=entered_by if source == ValidationFeedback.Source.PAPER else None,
                missing=missing,
                submission_key=submission_key,
                content_digest=digest,
                submitted_at=timezone.now(),
            )
    except IntegrityError:  # the same form, sent at the same moment through another request
        stored = _already_received(submission_key, code, round_.pk, digest)
        if stored is None:
            raise
        return stored, False
    ValidationAnswer.objects.bulk_create(
        [
            ValidationAnswer(
                feedback=feedback,
                item_id=item_id,
                **dict(zip(RATING_CODES, answer.ratings, strict=True)),
                comment=answer.comment,
            )
            for item_id, answer in clean.items()
        ]
    )
    return feedback, True


@transaction.atomic
def paper_feedback_enter(
    *,
    actor: AbstractBaseUser,
    participant: ValidationParticipant,
    consent_signed: bool,
    answers: dict[str, dict],
    missing: str,
    submission_key: uuid.UUID,
) -> tuple[ValidationFeedback, bool]:
    """Type in a participant's paper form: her signed consent on it is recorded (if not
    already), then the feedback, marked "from paper", in the same transaction."""
    if not access.may_manage(actor, participant):
        raise ValidationError(_("You do not record forms for this person."))
    participant = ValidationParticipant.objects.select_related("round", "consent").get(
        pk=participant.pk
    )
    if not consent_is_current(participant):
        if not consent_signed:
            raise ValidationError(
                _("Confirm that the participant signed the consent on the paper form.")
            )
        validation_consent_decide(
            participant=participant,
            accepted=True,
            text_version=participant.round.consent_version,
            method=ValidationConsent.Method.PAPER,
            actor=actor,
        )
    feedback, created = feedback_submit(
        participant=participant,
        answers=answers,
        missing=missing,
        submission_key=submission_key,
        source=ValidationFeedback.Source.PAPER,
        entered_by=actor,
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.CREATE,
            instance=feedback,
            site=feedback.site_id,
            after={"round": feedback.round_id, "source": feedback.source},
        )
    return feedback, created
