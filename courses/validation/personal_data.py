"""What curriculum validation holds about a person, and how it is erased. See
:mod:`lms.datarights.registry`.

Her participation in rounds (site, CEM, how she was added, her consent) is linked to her
account. Her feedback is not: it is stored under her research code, which only the data-rights
services resolve (through :attr:`lms.datarights.subject.Subject.answers_code`). Erasure keeps
the round's record of who took part and what was rated (accreditors ask whether and with whom a
version was validated): her account is pseudonymised, her research identity deleted (so her
ratings can no longer be tied to anybody) and her identifiers are taken out of every free text
of the rounds she took part in: her comments, what she missed, workshop notes and quotes, and
the findings' evidence and reasons.
"""

from django.utils.translation import gettext_lazy as _

from courses.validation.models import (
    RATING_CODES,
    ValidationAnswer,
    ValidationConsent,
    ValidationFeedback,
    ValidationFinding,
    ValidationParticipant,
    ValidationWorkshop,
    WorkshopAssessment,
)
from lms.datarights.registry import Erasure, PersonalData, register
from lms.datarights.subject import Subject


def _participations(subject: Subject):
    return ValidationParticipant.objects.filter(person=subject.user)


def _participation(subject: Subject) -> list[dict]:
    records = []
    for p in (
        _participations(subject)
        .select_related("round__course", "site", "cem", "consent")
        .order_by("added_at", "pk")
    ):
        consent = getattr(p, "consent", None)
        records.append(
            {
                "round": p.round.title,
                "course": p.round.course.title,
                "curriculum_version": p.round.curriculum_version,
                "site": p.site.name,
                "cem": p.cem.name,
                "added": p.get_source_display(),
                "added_at": p.added_at,
                "consent": consent.get_decision_display() if consent else "",
                "consent_version": consent.text_version if consent else "",
                "consent_method": consent.get_method_display() if consent else "",
                "consent_decided_at": consent.decided_at if consent else None,
            }
        )
    return records


def _participation_objects(subject: Subject):
    ids = list(_participations(subject).values_list("pk", flat=True))
    consents = ValidationConsent.objects.filter(participant_id__in=ids)
    return [
        (ValidationParticipant, ids),
        (ValidationConsent, consents.values_list("pk", flat=True)),
    ]


def _participation_erase(erasure: Erasure) -> dict[str, int]:
    """Participation stays (the round's counts of who took part), under her pseudonym; the
    free text of her rounds loses every identifier of hers."""
    subject = erasure.subject
    rounds = set(_participations(subject).values_list("round_id", flat=True))
    return {
        "workshop_notes": subject.scrub_rows(
            ValidationWorkshop.objects.filter(round_id__in=rounds), ("notes", "place")
        )
        + subject.scrub_rows(
            WorkshopAssessment.objects.filter(workshop__round_id__in=rounds),
            ("notes", "quotes"),
        ),
        "findings": subject.scrub_rows(
            ValidationFinding.objects.filter(round_id__in=rounds),
            ("title", "evidence", "decision_reason"),
        ),
    }


register(
    PersonalData(
        key="courses.validation_participation",
        title=_("Curriculum validation: your participation"),
        order=220,
        fields={
            "round": _("Validation round"),
            "course": _("Course"),
            "curriculum_version": _("Curriculum version"),
            "site": _("Site"),
            "cem": _("CEM"),
            "added": _("Added"),
            "added_at": _("Added at"),
            "consent": _("Consent"),
            "consent_version": _("Consent text version"),
            "consent_method": _("Consent given by"),
            "consent_decided_at": _("Decided at"),
        },
        collect=_participation,
        objects=_participation_objects,
        erase=_participation_erase,
    )
)


def _her_feedback(subject: Subject):
    if not subject.answers_code:
        return ValidationFeedback.objects.none()
    return ValidationFeedback.objects.filter(research_code=subject.answers_code)


def _feedback(subject: Subject) -> list[dict]:
    feedback = list(_her_feedback(subject).select_related("round").order_by("submitted_at", "pk"))
    answers: dict[int, list[ValidationAnswer]] = {}
    for answer in (
        ValidationAnswer.objects.filter(feedback__in=feedback)
        .select_related("item")
        .order_by("item__position")
    ):
        answers.setdefault(answer.feedback_id, []).append(answer)
    return [
        {
            "round": f.round.title,
            "submitted_at": f.submitted_at,
            "source": f.get_source_display(),
            "missing": f.missing,
            "answers": [
                {"item": a.item.title, **{code: getattr(a, code) for code in RATING_CODES}}
                | {"comment": a.comment}
                for a in answers.get(f.pk, [])
            ],
        }
        for f in feedback
    ]


def _feedback_erase(erasure: Erasure) -> dict[str, int]:
    """Her ratings stay in the round's results, tied to nobody once her research identity is
    gone; what she wrote loses every identifier of hers."""
    subject = erasure.subject
    feedback = _her_feedback(subject)
    return {
        "validation_feedback_dissociated": feedback.count(),
        "validation_texts": subject.scrub_rows(feedback, ("missing",))
        + subject.scrub_rows(ValidationAnswer.objects.filter(feedback__in=feedback), ("comment",)),
    }


register(
    PersonalData(
        key="courses.validation_feedback",
        title=_("Curriculum validation: your feedback"),
        order=230,
        fields={
            "round": _("Validation round"),
            "submitted_at": _("Submitted at"),
            "source": _("Source"),
            "missing": _("What is missing"),
            "answers": _("Ratings and comments"),
        },
        collect=_feedback,
        erase=_feedback_erase,
        note=_(
            "Stored under a pseudonymous code, not your name. The validation team reads them "
            "only as figures of five people or more and as comments without names."
        ),
    )
)
