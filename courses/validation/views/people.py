"""Who takes part in a round: the list, adding people from the profiles or a CSV file, and the
paper forms (the printable form, and typing one in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.forms import RosterUploadForm
from courses.services.roster_csv import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from courses.validation.forms import PaperFeedbackForm, ParticipantsPickForm
from courses.validation.keys import has_given_feedback
from courses.validation.models import RATINGS, SCALE, ValidationParticipant
from courses.validation.selectors import (
    managed_round_or_404,
    participant_candidates,
    recordable_participants,
    round_or_404,
    round_participants,
)
from courses.validation.services.feedback import paper_feedback_enter
from courses.validation.services.participants import (
    participant_remove,
    participants_add,
    participants_import,
)
from courses.validation.views.common import TEAM, refusal
from lms import access


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(TEAM)
def participants(request: HttpRequest, round_id: int) -> HttpResponse:
    """The participants the user reaches; coordinators add people from the profiles."""
    round_ = round_or_404(request.user, round_id)
    manages = access.may_manage(request.user, round_)
    form = None
    if manages:
        form = ParticipantsPickForm(
            request.POST or None, candidates=participant_candidates(request.user, round_)
        )
    if request.method == "POST":
        if form is None:  # trainers read the list; coordinators add to it
            raise PermissionDenied
        if form.is_valid():
            try:
                added = participants_add(
                    actor=request.user, round=round_, people=form.cleaned_data["people"]
                )
            except ValidationError as error:
                refusal(request, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s person added.", "%(count)s people added.", len(added))
                    % {"count": len(added)},
                )
                return redirect("validation:participants", round_.pk)
        else:
            messages.error(request, _("Choose at least one person."))
    return TemplateResponse(
        request,
        "courses/validation/participants.html",
        {"round": round_, "rows": round_participants(request.user, round_), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def participants_upload(request: HttpRequest, round_id: int) -> HttpResponse:
    """A roster CSV, checked whole: everybody is added, or nobody."""
    round_ = managed_round_or_404(request.user, round_id)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    result = None
    if form.is_bound and form.is_valid():
        result = participants_import(
            actor=request.user, round=round_, data=form.cleaned_data["file"].read()
        )
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)s person added (%(created)s new, %(reused)s already registered).",
                    "%(count)s people added (%(created)s new, %(reused)s already registered).",
                    len(result.participants),
                )
                % {
                    "count": len(result.participants),
                    "created": result.created_people,
                    "reused": result.reused_people,
                },
            )
            return redirect("validation:participants", round_.pk)
        messages.error(
            request,
            ngettext(
                "Nothing was saved: the file has %(count)s problem.",
                "Nothing was saved: the file has %(count)s problems.",
                len(result.problems),
            )
            % {"count": len(result.problems)},
        )
    return TemplateResponse(
        request,
        "courses/validation/participants_import.html",
        {
            "round": round_,
            "form": form,
            "result": result,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
        },
    )


@login_required
@require_POST
@access.role_required(access.COORDINATES)
def participant_delete(request: HttpRequest, round_id: int, participant_id: int) -> HttpResponse:
    round_ = managed_round_or_404(request.user, round_id)
    participant = access.manage_or_404(
        request.user, ValidationParticipant.objects.filter(round=round_), pk=participant_id
    )
    try:
        participant_remove(actor=request.user, participant=participant)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The person is no longer in the round."))
    return redirect("validation:participants", round_.pk)


@login_required
@require_GET
@access.role_required(TEAM)
def paper_form(request: HttpRequest, round_id: int) -> HttpResponse:
    """The printable form for workshops without phones or connection."""
    round_ = round_or_404(request.user, round_id)
    return TemplateResponse(
        request,
        "courses/validation/paper_form.html",
        {"round": round_, "items": list(round_.items.all()), "ratings": RATINGS, "scale": SCALE},
    )


@login_required
@require_GET
@access.role_required(TEAM)
def paper_list(request: HttpRequest, round_id: int) -> HttpResponse:
    """Whose paper forms the user may type in, and whose are in already."""
    round_ = round_or_404(request.user, round_id)
    recordable = {p.pk for p in recordable_participants(request.user, round_)}
    rows = [r for r in round_participants(request.user, round_) if r.participant.pk in recordable]
    return TemplateResponse(
        request, "courses/validation/paper_list.html", {"round": round_, "rows": rows}
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@access.role_required(TEAM)
def paper_entry(request: HttpRequest, round_id: int, participant_id: int) -> HttpResponse:
    """Type in one participant's paper form, marked "from paper"."""
    round_ = round_or_404(request.user, round_id)
    participant = get_object_or_404(
        recordable_participants(request.user, round_).select_related("person__profile"),
        pk=participant_id,
    )
    if has_given_feedback(participant) and request.method == "GET":
        messages.info(request, _("This person's feedback is already recorded."))
        return redirect("validation:paper_list", round_.pk)
    form = PaperFeedbackForm(request.POST or None, items=list(round_.items.all()))
    errors: list[str] = []
    if form.is_bound:
        if form.is_valid():
            try:
                _feedback, created = paper_feedback_enter(
                    actor=request.user,
                    participant=participant,
                    consent_signed=form.cleaned_data["consent_signed"],
                    answers=form.answers(),
                    missing=form.cleaned_data["missing"],
                    submission_key=form.key(),
                )
            except ValidationError as error:
                errors = error.messages
            else:
                if created:
                    messages.success(request, _("The paper form is recorded."))
                else:
                    messages.info(request, _("This form was already recorded; nothing changed."))
                return redirect("validation:paper_list", round_.pk)
        else:
            errors = [m for field_errors in form.errors.values() for m in field_errors]
    return TemplateResponse(
        request,
        "courses/validation/paper_entry.html",
        {
            "round": round_,
            "participant": participant,
            "form": form,
            "questions": form.questions(),
            "errors": errors,
            "scale": SCALE,
        },
    )
