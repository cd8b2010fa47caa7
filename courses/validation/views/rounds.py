"""Opening, preparing and running a round: the list, the creation on a course revision, the
overview, the definition, the concepts, opening and closing."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import CoursePage
from courses.validation.forms import ConceptForm, RoundCreateForm, RoundForm
from courses.validation.selectors import (
    managed_round_or_404,
    round_or_404,
    round_overview,
    rounds_for,
)
from courses.validation.services.rounds import (
    course_sessions,
    default_consent_text,
    round_close,
    round_concept_add,
    round_create,
    round_item_remove,
    round_open,
    round_update,
)
from courses.validation.views.common import STAFF, refusal
from lms import access
from lms.models import CEM, Site

REVISIONS_SHOWN = 20


@login_required
@require_GET
@access.role_required(STAFF)
def index(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "courses/validation/index.html",
        {
            "rounds": rounds_for(request.user),
            "may_open": access.has_any_role(request.user, access.COORDINATES),
        },
    )


def _place_choices(user):
    sites = access.coordinated(user, Site).order_by("name")
    cems = access.coordinated(user, CEM.objects.select_related("site")).order_by(
        "site__name", "name"
    )
    return sites, cems


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def round_new(request: HttpRequest) -> HttpResponse:
    """Choose a course, then open a round on one of its revisions (a draft is fine)."""
    course_id = request.GET.get("curso", "")
    if not course_id.isdigit():
        courses = CoursePage.objects.order_by("title")
        return TemplateResponse(
            request, "courses/validation/round_course.html", {"courses": courses}
        )
    course = get_object_or_404(CoursePage, pk=int(course_id))
    revisions = list(
        course.revisions.select_related("user").order_by("-created_at", "-pk")[:REVISIONS_SHOWN]
    )
    sessions = course_sessions(course)
    sites, cems = _place_choices(request.user)
    today = timezone.localdate()
    form = RoundCreateForm(
        request.POST or None,
        course=course,
        revisions=revisions,
        sessions=sessions,
        sites=sites,
        cems=cems,
        initial={
            "title": _("Validation of %(course)s") % {"course": course.title},
            "revision": revisions[0].pk if revisions else None,
            "sessions": [s.pk for s in sessions],
            "sites": list(sites),
            "cems": list(cems),
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=30),
            "consent_version": "1",
            "consent_text": default_consent_text(),
        },
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = round_create(
                actor=request.user,
                course=course,
                revision=next(r for r in revisions if r.pk == data["revision"]),
                title=data["title"],
                purpose=data["purpose"],
                sites=data["sites"],
                cems=data["cems"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                consent_version=data["consent_version"],
                consent_text=data["consent_text"],
                sessions=data["sessions"],
            )
        except ValidationError as error:
            refusal(request, error)
        else:
            messages.success(request, _("The round is ready to prepare: add concepts and people."))
            return redirect("validation:round", round_.pk)
    return TemplateResponse(
        request,
        "courses/validation/round_form.html",
        {"form": form, "course": course, "creating": True},
    )


@login_required
@require_GET
@access.role_required(STAFF)
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = round_or_404(request.user, round_id)
    return TemplateResponse(
        request,
        "courses/validation/round_detail.html",
        {
            "round": round_,
            "overview": round_overview(request.user, round_),
            "concept_form": ConceptForm(),
        },
    )


def _defined_round(request: HttpRequest, round_id: int):
    """A round the user may redefine: she manages it and coordinates all its sites."""
    round_ = managed_round_or_404(request.user, round_id)
    if not access.coordinates_sites(request.user, round_.sites.values_list("pk", flat=True)):
        raise PermissionDenied
    return round_


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _defined_round(request, round_id)
    sites, cems = _place_choices(request.user)
    form = RoundForm(
        request.POST or None,
        sites=sites,
        cems=cems,
        initial={
            "title": round_.title,
            "purpose": round_.purpose,
            "sites": list(round_.sites.all()),
            "cems": list(round_.cems.all()),
            "starts_on": round_.starts_on,
            "ends_on": round_.ends_on,
            "consent_version": round_.consent_version,
            "consent_text": round_.consent_text,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            round_update(actor=request.user, round=round_, **form.cleaned_data)
        except ValidationError as error:
            refusal(request, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("validation:round", round_.pk)
    return TemplateResponse(
        request,
        "courses/validation/round_form.html",
        {"form": form, "course": round_.course, "round": round_, "creating": False},
    )


@login_required
@require_POST
@access.role_required(access.COORDINATES)
def round_status(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _defined_round(request, round_id)
    action = request.POST.get("action")
    try:
        if action == "open":
            round_open(actor=request.user, round=round_)
            messages.success(request, _("The round is open: participants can give feedback."))
        elif action == "close":
            round_close(actor=request.user, round=round_)
            messages.success(request, _("The round is closed. Its results are final."))
        else:
            messages.error(request, _("Choose to open or to close the round."))
    except ValidationError as error:
        refusal(request, error)
    return redirect("validation:round", round_.pk)


@login_required
@require_POST
@access.role_required(access.COORDINATES)
def concept_add(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _defined_round(request, round_id)
    form = ConceptForm(request.POST)
    if form.is_valid():
        try:
            round_concept_add(actor=request.user, round=round_, **form.cleaned_data)
        except ValidationError as error:
            refusal(request, error)
        else:
            messages.success(request, _("The concept is added to the round."))
    else:
        messages.error(request, _("A concept needs its kind, a title and what participants read."))
    return redirect("validation:round", round_.pk)


@login_required
@require_POST
@access.role_required(access.COORDINATES)
def item_remove(request: HttpRequest, round_id: int, item_id: int) -> HttpResponse:
    round_ = _defined_round(request, round_id)
    item = get_object_or_404(round_.items, pk=item_id)
    try:
        round_item_remove(actor=request.user, round=round_, item=item)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(
            request, _("“%(title)s” is no longer in the round.") % {"title": item.title}
        )
    return redirect("validation:round", round_.pk)
