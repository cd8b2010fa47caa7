"""Activist-facing questionnaire views (consent, answering, confirmation).

Everything is looked up through the signed-in person's own enrollments, so another person's
enrollment answers 404, whatever the visitor's role: trainers, coordinators and accreditors
never open an individual questionnaire. Pages are never cached, because phones are often
shared and the answers are sensitive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessments.models import Wave
from assessments.questionnaires.due import QuestionnaireStatus, Timing, questionnaires_for
from assessments.questionnaires.forms import AnswersForm, ConsentForm
from assessments.questionnaires.services import (
    QUESTIONNAIRE_CONSENT_VERSION,
    research_consent_decide,
    response_draft_save,
    response_submit,
)
from courses.models import Enrollment
from lms import access


def _questionnaire_or_404(
    request: HttpRequest, enrollment_id: int, wave: str
) -> tuple[Enrollment, QuestionnaireStatus]:
    if wave not in Wave.values:
        raise Http404
    enrollment = get_object_or_404(
        access.owned(
            request.user, Enrollment.objects.select_related("cohort__course", "cohort__cem")
        )
        .exclude(status=Enrollment.Status.WITHDRAWN)
        # Answers are stored under the profile's participant code: no profile, no questionnaire.
        .filter(activist__profile__isnull=False)
        .select_related("activist__profile"),
        pk=enrollment_id,
    )
    status = next((s for s in questionnaires_for(enrollment) if s.wave == wave), None)
    if status is None:  # the course has no questionnaire for this wave
        raise Http404
    return enrollment, status


def _already_sent(request: HttpRequest) -> None:
    messages.info(request, _("You already sent this questionnaire; nothing new was recorded."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, enrollment_id: int, wave: str) -> HttpResponse:
    """Informed consent before the first answer; a refusal is recorded and can be changed."""
    enrollment, status = _questionnaire_or_404(request, enrollment_id, wave)
    form = ConsentForm(request.POST or None)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["text_version"] != QUESTIONNAIRE_CONSENT_VERSION:
            # The text changed while the page was open: the decision must be about this one.
            messages.warning(
                request, _("The information on this page has changed. Please read it again.")
            )
            return redirect("assessments:consent", enrollment.pk, wave)
        research_consent_decide(enrollment=enrollment, accepted=form.accepted)
        if form.accepted:
            messages.success(request, _("Thank you. You can now answer the questionnaire."))
            return redirect("assessments:answer", enrollment.pk, wave)
        # A recorded refusal meets any questionnaire requirement of the certificate.
        messages.info(
            request,
            _(
                "We have recorded that you prefer not to take part. Your course and your "
                "certificate are not affected. If you change your mind, you can come back "
                "from “My courses”."
            ),
        )
        return redirect("courses:my_courses")
    return TemplateResponse(
        request,
        "assessments/consent.html",
        {
            "enrollment": enrollment,
            "course": enrollment.cohort.course,
            "questionnaire": status,
            "instrument": status.state.instrument,
            "item_count": status.state.instrument.items.count(),
            "consent": status.consent,
            "consent_version": QUESTIONNAIRE_CONSENT_VERSION,
            "form": form,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, enrollment_id: int, wave: str) -> HttpResponse:
    """The questionnaire on one page: draft any number of times, submit once."""
    enrollment, status = _questionnaire_or_404(request, enrollment_id, wave)
    if status.needs_consent:
        return redirect("assessments:consent", enrollment.pk, wave)
    if status.timing == Timing.SUBMITTED:
        # A double tap or the back button: the stored submission stands, and we say so.
        if request.method == "POST":
            _already_sent(request)
        return redirect("assessments:done", enrollment.pk, wave)
    context = {
        "enrollment": enrollment,
        "course": enrollment.cohort.course,
        "questionnaire": status,
        "instrument": status.state.instrument,
    }
    if status.timing != Timing.OPEN:
        if request.method == "POST":
            messages.error(request, _("This questionnaire is not open now; nothing was saved."))
            return redirect("assessments:answer", enrollment.pk, wave)
        return TemplateResponse(request, "assessments/answer.html", context)

    instrument = status.state.instrument
    draft = status.state.response
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        items=list(instrument.items.all()),
        scale=list(instrument.scale.all()),
        saved=draft.answers if draft else None,
    )
    errors: list[str] = []
    if form.is_bound:
        if not form.is_valid():
            errors = form.error_messages()
        elif form.cleaned_data["action"] == AnswersForm.DRAFT:
            try:
                response_draft_save(enrollment=enrollment, wave=wave, answers=form.answers())
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _("Your answers are saved. You can come back and finish them later."),
                )
                return redirect("assessments:answer", enrollment.pk, wave)
        else:
            try:
                _response, newly_submitted = response_submit(
                    enrollment=enrollment,
                    wave=wave,
                    answers=form.answers(),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                errors = error.messages
            else:
                if newly_submitted:
                    messages.success(request, _("Your answers have been sent."))
                else:
                    _already_sent(request)
                return redirect("assessments:done", enrollment.pk, wave)
    return TemplateResponse(
        request,
        "assessments/answer.html",
        context
        | {
            "form": form,
            "questions": form.questions(),
            "errors": errors,
        },
    )


@login_required
@never_cache
@require_GET
def done(request: HttpRequest, enrollment_id: int, wave: str) -> HttpResponse:
    """Thanks and where to find help; never the answers or any score."""
    enrollment, status = _questionnaire_or_404(request, enrollment_id, wave)
    if status.timing != Timing.SUBMITTED:
        return redirect("assessments:answer", enrollment.pk, wave)
    return TemplateResponse(
        request,
        "assessments/done.html",
        {
            "enrollment": enrollment,
            "course": enrollment.cohort.course,
            "questionnaire": status,
            "submitted_at": status.state.response.submitted_at,
        },
    )
