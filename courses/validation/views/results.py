"""Results of a round, its findings and decisions, and its exports (report, CSV, dictionary)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.validation.exports import EXPORTS, validation_export
from courses.validation.figures import Grouping
from courses.validation.forms import FindingForm
from courses.validation.models import ValidationFinding, ValidationWorkshop
from courses.validation.presenters import results_display
from courses.validation.results import round_results_for
from courses.validation.revisions import revision_changes
from courses.validation.selectors import findings_of, managed_round_or_404, round_or_404
from courses.validation.services.findings import finding_save
from courses.validation.views.common import refusal
from lms import access
from lms.downloads import attachment_response

GROUPINGS = {"sede": Grouping.SITE, "sexo": Grouping.SEX, "generacion": Grouping.GENERATION}


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def results(request: HttpRequest, round_id: int) -> HttpResponse:
    """Ratings per session or concept, overall and by site, sex or generation (``?por=``)."""
    round_ = round_or_404(request.user, round_id)
    by = request.GET.get("por", "sede")
    grouping = GROUPINGS.get(by, Grouping.SITE)
    computed = round_results_for(request.user, round_, grouping=grouping)
    return TemplateResponse(
        request,
        "courses/validation/results.html",
        {
            "round": round_,
            "results": computed,
            "display": results_display(computed),
            "by": by if by in GROUPINGS else "sede",
            "groupings": [
                ("sede", _("Site")),
                ("sexo", _("Sex")),
                ("generacion", _("Generation")),
            ],
            "findings": findings_of(request.user, round_),
            "manages": access.may_manage(request.user, round_),
            "coordinates": access.has_any_role(request.user, access.COORDINATES),
        },
    )


def _finding_form(request, round_, finding=None) -> FindingForm:
    initial = {}
    if finding is not None:
        initial = {
            "title": finding.title,
            "items": list(finding.items.all()),
            "workshops": list(finding.workshops.all()),
            "evidence": finding.evidence,
            "tags": finding.tags,
            "decision": finding.decision,
            "decision_reason": finding.decision_reason,
        }
    workshops = access.in_figures(request.user, ValidationWorkshop.objects.filter(round=round_))
    return FindingForm(
        request.POST or None,
        round=round_,
        workshops=workshops.select_related("site", "cem"),
        initial=initial,
    )


def _finding_page(request, round_, finding=None) -> HttpResponse:
    form = _finding_form(request, round_, finding)
    if form.is_bound and form.is_valid():
        try:
            saved = finding_save(
                actor=request.user, round=round_, finding=finding, **form.cleaned_data
            )
        except ValidationError as error:
            refusal(request, error)
        else:
            messages.success(request, _("The finding is saved."))
            return redirect("validation:finding", round_.pk, saved.pk)
    return TemplateResponse(
        request,
        "courses/validation/finding_form.html",
        {"round": round_, "form": form, "finding": finding},
    )


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def finding_new(request: HttpRequest, round_id: int) -> HttpResponse:
    return _finding_page(request, managed_round_or_404(request.user, round_id))


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def finding_edit(request: HttpRequest, round_id: int, finding_id: int) -> HttpResponse:
    round_ = managed_round_or_404(request.user, round_id)
    finding = access.manage_or_404(
        request.user, ValidationFinding.objects.filter(round=round_), pk=finding_id
    )
    return _finding_page(request, round_, finding)


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def finding_detail(request: HttpRequest, round_id: int, finding_id: int) -> HttpResponse:
    """A finding, its decision, and what each revision that answers it changed."""
    round_ = round_or_404(request.user, round_id)
    finding = access.read_or_404(
        request.user,
        ValidationFinding.objects.filter(round=round_).select_related("decided_by"),
        pk=finding_id,
    )
    answers = [
        revision_changes(citation.revision)
        for citation in finding.answers.select_related("revision__user", "page")
    ]
    return TemplateResponse(
        request,
        "courses/validation/finding_detail.html",
        {
            "round": round_,
            "finding": finding,
            "items": list(finding.items.all()),
            "workshops": list(
                access.in_figures(request.user, finding.workshops.select_related("site"))
            ),
            "answers": answers,
            "manages": access.may_manage(request.user, finding),
        },
    )


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def export(request: HttpRequest, round_id: int, kind: str) -> HttpResponse:
    """The report (PDF), the figures (CSV) and, for coordinators, the de-identified feedback
    (CSV) and its data dictionary. Each download is written to the audit log."""
    if kind not in EXPORTS:
        raise Http404
    if EXPORTS[kind].coordinators_only:
        access.require_role(request.user, access.COORDINATES)
    round_ = round_or_404(request.user, round_id)
    made = validation_export(actor=request.user, round=round_, kind=kind)
    return attachment_response(made.content, filename=made.filename, content_type=made.mimetype)
