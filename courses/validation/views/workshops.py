"""Recording a validation workshop (focus group) and correcting the record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.validation.forms import VERDICT_CHOICES, WorkshopForm
from courses.validation.models import ValidationWorkshop
from courses.validation.selectors import round_or_404
from courses.validation.services.workshops import (
    ItemAssessment,
    NamesInNotes,
    WorkshopRecord,
    workshop_record,
    workshop_update,
)
from courses.validation.views.common import TEAM
from lms import access


def _form(request, round_, workshop=None) -> WorkshopForm:
    sites = access.sites_to_manage(request.user, ValidationWorkshop).filter(
        pk__in=round_.sites.all()
    )
    initial = {"held_on": timezone.localdate()}
    if sites.count() == 1:
        initial["site"] = sites.first()
    if workshop is not None:
        initial = {
            "site": workshop.site,
            "cem": workshop.cem,
            "held_on": workshop.held_on,
            "place": workshop.place,
            "notes": workshop.notes,
            "client_uuid": workshop.client_uuid,
            "headcount": {(h.sex, h.generation): h.count for h in workshop.headcounts.all()},
            "assessments": {
                a.item.code: ItemAssessment(a.verdict, a.notes, a.quotes)
                for a in workshop.assessments.select_related("item")
            },
        }
    return WorkshopForm(
        request.POST or None,
        sites=sites,
        cems=round_.cems.filter(site__in=sites).select_related("site"),
        items=list(round_.items.all()),
        initial=initial,
    )


def _record(form: WorkshopForm) -> WorkshopRecord:
    data = form.cleaned_data
    return WorkshopRecord(
        site=data["site"],
        cem=data["cem"],
        held_on=data["held_on"],
        place=data["place"],
        notes=data["notes"],
        headcount=form.headcount(),
        assessments=form.assessments(),
    )


def _render(request, round_, form, *, workshop=None, names=None, errors=()):
    return TemplateResponse(
        request,
        "courses/validation/workshop_form.html",
        {
            "round": round_,
            "form": form,
            "workshop": workshop,
            "grid": form.grid(),
            "item_rows": form.item_rows(),
            "verdicts": VERDICT_CHOICES,
            "names": names,
            "errors": errors,
        },
    )


def _save(request, round_, form, workshop=None) -> HttpResponse:
    names = None
    errors: list[str] = []
    if form.is_valid():
        try:
            if workshop is None:
                _workshop, created = workshop_record(
                    actor=request.user,
                    round=round_,
                    record=_record(form),
                    client_uuid=form.cleaned_data["client_uuid"] or form.initial["client_uuid"],
                    names_checked=form.cleaned_data["names_checked"],
                )
                if created:
                    messages.success(request, _("The workshop is recorded."))
                else:
                    messages.info(
                        request, _("This workshop was already recorded; nothing changed.")
                    )
            else:
                workshop_update(
                    actor=request.user,
                    workshop=workshop,
                    record=_record(form),
                    names_checked=form.cleaned_data["names_checked"],
                )
                messages.success(request, _("The workshop record is saved."))
        except NamesInNotes as found:
            names = found.places
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("validation:round", round_.pk)
    else:
        errors = [m for field_errors in form.errors.values() for m in field_errors]
    return _render(request, round_, form, workshop=workshop, names=names, errors=errors)


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(TEAM)
def workshop_new(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = round_or_404(request.user, round_id)
    form = _form(request, round_)
    if request.method == "POST":
        return _save(request, round_, form)
    return _render(request, round_, form)


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(TEAM)
def workshop_edit(request: HttpRequest, round_id: int, workshop_id: int) -> HttpResponse:
    round_ = round_or_404(request.user, round_id)
    workshop = access.manage_or_404(
        request.user, ValidationWorkshop.objects.filter(round=round_), pk=workshop_id
    )
    form = _form(request, round_, workshop)
    if request.method == "POST":
        return _save(request, round_, form, workshop)
    return _render(request, round_, form, workshop=workshop)
