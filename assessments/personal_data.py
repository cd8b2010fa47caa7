"""What the questionnaires hold about a person (her research consents, her own answers with the
questions) and how they are erased. See :mod:`lms.datarights.registry`.

Answers are stored under a code, not a name: only the data-rights services look the code up,
through the subject (:attr:`lms.datarights.subject.Subject.answers_code`)."""

from django.utils.translation import gettext_lazy as _

from assessments.analytics.cache import responses_changed
from assessments.models import ResearchConsent, Response
from assessments.questionnaires.retention import responses_expire
from assessments.questionnaires.services import research_consent_withdraw
from lms.datarights.registry import Erasure, PersonalData, register
from lms.datarights.retention import RetentionRule, months_before, register_retention
from lms.datarights.subject import Subject


def _consents(subject: Subject) -> list[dict]:
    consents = (
        ResearchConsent.objects.filter(enrollment__activist=subject.user)
        .select_related("enrollment__cohort")
        .order_by("decided_at", "pk")
    )
    return [
        {
            "cohort": c.enrollment.cohort.name,
            "decision": c.get_decision_display(),
            "text_version": c.text_version,
            "decided_at": c.decided_at,
        }
        for c in consents
    ]


def _consent_objects(subject: Subject):
    ids = ResearchConsent.objects.filter(enrollment__activist=subject.user).values_list(
        "pk", flat=True
    )
    return [(ResearchConsent, ids)]


register(
    PersonalData(
        key="assessments.consents",
        title=_("Consent to the questionnaires"),
        order=300,
        fields={
            "cohort": _("Cohort"),
            "decision": _("Decision"),
            "text_version": _("Consent text version"),
            "decided_at": _("Decided at"),
        },
        collect=_consents,
        objects=_consent_objects,
    )
)


def _her_responses(subject: Subject):
    if not subject.answers_code:
        return Response.objects.none()
    return Response.objects.filter(research_code=subject.answers_code)


def _answers(subject: Subject) -> list[dict]:
    responses = list(
        _her_responses(subject).select_related("instrument", "cohort").order_by("started_at", "pk")
    )
    texts, labels = {}, {}
    for instrument in {r.instrument for r in responses}:
        texts[instrument.pk] = {i.code: i.text for i in instrument.items.all()}
        labels[instrument.pk] = {p.value: p.label for p in instrument.scale.all()}
    records = []
    for r in responses:
        items, scale = texts[r.instrument_id], labels[r.instrument_id]
        records.append(
            {
                "questionnaire": str(r.instrument),
                "cohort": r.cohort.name,
                "wave": r.get_wave_display(),
                "status": r.get_status_display(),
                "submitted_at": r.submitted_at,
                "withdrawn_at": r.withdrawn_at,
                "scores": r.scores,
                "answers": [
                    {
                        "item": code,
                        "question": items.get(code, code),
                        "value": value,
                        "answer": str(_("Prefers not to answer"))
                        if value is None
                        else scale.get(value, value),
                    }
                    for code, value in (r.answers or {}).items()
                ],
            }
        )
    return records


def _answers_opposed(subject: Subject, actor) -> dict[str, int]:
    withdrawn = research_consent_withdraw(
        actor=actor, person=subject.user, answers_code=subject.answers_code
    )
    return {"questionnaire_responses_withdrawn": withdrawn}


def _answers_erase(erasure: Erasure) -> dict[str, int]:
    """Her answers leave every future analysis and export: they are deleted, drafts too."""
    deleted, _per_model = _her_responses(erasure.subject).delete()
    if deleted:
        responses_changed()
    return {"questionnaire_responses": deleted}


register(
    PersonalData(
        key="assessments.answers",
        title=_("Your questionnaire answers"),
        order=310,
        fields={
            "questionnaire": _("Questionnaire"),
            "cohort": _("Cohort"),
            "wave": _("Wave"),
            "status": _("Status"),
            "submitted_at": _("Submitted at"),
            "withdrawn_at": _("Withdrawn from research at"),
            "scores": _("Scores"),
            "answers": _("Answers"),
        },
        collect=_answers,
        erase=_answers_erase,
        opposed=_answers_opposed,
        note=_(
            "Stored under a pseudonymous code, not your name; nobody but you sees them one by "
            "one. Researchers only see figures of five people or more."
        ),
    )
)


def _answers_retention(settings, now, dry_run: bool) -> int | None:
    if not settings.answers_retention_months:
        return None
    return responses_expire(
        before=months_before(now, settings.answers_retention_months),
        action=settings.answers_at_retention,
        dry_run=dry_run,
    )


register_retention(
    RetentionRule(
        key="assessments.answers",
        label=_("Questionnaire answers"),
        order=100,
        apply=_answers_retention,
    )
)
