"""The participant's screens, on a phone: consent to take part, the feedback form, thanks.

Everything is looked up through the signed-in person's own participation, so another person's
answers 404 whatever the visitor's role. Pages are never cached: phones are shared."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from courses.validation.forms import ConsentForm, FeedbackForm
from courses.validation.keys import has_given_feedback
from courses.validation.models import SCALE, ValidationRound
from courses.validation.selectors import participation_of
from courses.validation.services.feedback import feedback_submit
from courses.validation.services.participants import consent_is_current, validation_consent_decide
from courses.validation.views.common import refusal
from lms import access


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@access.role_required(access.FOLLOWS_COURSES)
def take_part(request: HttpRequest, round_id: int) -> HttpResponse:
    """What the round is about, the consent text, and the decision (a refusal is recorded)."""
    participant = participation_of(request.user, round_id)
    round_ = participant.round
    form = ConsentForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            validation_consent_decide(
                participant=participant,
                accepted=form.accepted,
                text_version=form.cleaned_data["text_version"],
            )
        except ValidationError as error:
            refusal(request, error)
            return redirect("validation:take_part", round_.pk)
        if form.accepted:
            return redirect("validation:feedback", round_.pk)
        messages.info(
            request,
            _(
                "We have recorded that you prefer not to take part. Nothing else changes for "
                "you. If you change your mind, you can come back from your dashboard."
            ),
        )
        return redirect("home:dashboard")
    return TemplateResponse(
        request,
        "courses/validation/take_part.html",
        {
            "round": round_,
            "participant": participant,
            "consent": getattr(participant, "consent", None),
            "item_count": round_.items.count(),
            "current": consent_is_current(participant),
            "sent": has_given_feedback(participant),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@access.role_required(access.FOLLOWS_COURSES)
def feedback(request: HttpRequest, round_id: int) -> HttpResponse:
    participant = participation_of(request.user, round_id)
    round_ = participant.round
    if has_given_feedback(participant):
        if request.method == "POST":
            messages.info(request, _("You already sent your opinion; nothing new was recorded."))
        return redirect("validation:thanks", round_.pk)
    if not consent_is_current(participant):
        return redirect("validation:take_part", round_.pk)
    if round_.status != ValidationRound.Status.OPEN:
        return TemplateResponse(
            request, "courses/validation/feedback_closed.html", {"round": round_}
        )
    form = FeedbackForm(request.POST or None, items=list(round_.items.all()))
    errors: list[str] = []
    if form.is_bound:
        if form.is_valid():
            try:
                _stored, created = feedback_submit(
                    participant=participant,
                    answers=form.answers(),
                    missing=form.cleaned_data["missing"],
                    submission_key=form.key(),
                )
            except ValidationError as error:
                errors = error.messages
            else:
                if created:
                    messages.success(request, _("Thank you: your opinion has been sent."))
                else:
                    messages.info(
                        request, _("You already sent your opinion; nothing new was recorded.")
                    )
                return redirect("validation:thanks", round_.pk)
        else:
            errors = [m for field_errors in form.errors.values() for m in field_errors]
    return TemplateResponse(
        request,
        "courses/validation/feedback.html",
        {
            "round": round_,
            "form": form,
            "questions": form.questions(),
            "errors": errors,
            "scale": SCALE,
        },
    )


@login_required
@never_cache
@require_GET
@access.role_required(access.FOLLOWS_COURSES)
def thanks(request: HttpRequest, round_id: int) -> HttpResponse:
    participant = participation_of(request.user, round_id)
    if not has_given_feedback(participant):
        return redirect("validation:take_part", participant.round_id)
    return TemplateResponse(request, "courses/validation/thanks.html", {"round": participant.round})
