"""The data-rights pages: "My data" for every signed-in person, and the requests queue of the
coordinators. Thin: each validates, calls one service or selector, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms import access
from lms.datarights import forms
from lms.datarights import requests as services
from lms.datarights.portability import personal_data_export_download
from lms.datarights.selectors import my_downloads, my_requests, requests_queue
from lms.downloads import attachment_response
from lms.models import DataProtectionSettings, DataRightsRequest, PersonalDataExport

Kind = DataRightsRequest.Kind
#: The kinds of request as they appear in addresses.
KIND_SLUGS = {
    "rectificacion": Kind.RECTIFICATION,
    "cancelacion": Kind.CANCELLATION,
    "oposicion": Kind.OPPOSITION,
}
DOWNLOAD_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """What the platform holds about her, how to download it, and her requests."""
    return TemplateResponse(
        request,
        "lms/datarights/my_data.html",
        {
            "protection": DataProtectionSettings.load(request),
            "downloads": my_downloads(request.user),
            "requests": list(my_requests(request.user)),
            "now": timezone.now(),
            "today": timezone.localdate(),
            "kinds": KIND_SLUGS,
        },
    )


@login_required
@require_POST
def download_prepare(request: HttpRequest) -> HttpResponse:
    services.personal_data_export_request(
        actor=request.user, person=request.user, language=translation.get_language()
    )
    messages.success(request, _("Your download is being prepared; it takes a few seconds."))
    return redirect("datarights:my_data")


@login_required
@require_GET
def download(request: HttpRequest, token, kind: str) -> HttpResponse:
    """One of her files, to her only, while its link is valid; anything else is a 404."""
    if kind not in DOWNLOAD_TYPES:
        raise Http404
    export = get_object_or_404(access.owned(request.user, PersonalDataExport), token=token)
    if not export.is_available():
        raise Http404
    file = export.json_file if kind == "json" else export.pdf_file
    personal_data_export_download(actor=request.user, export=export, kind=kind)
    return attachment_response(
        file.open("rb"), filename=file.name.rsplit("/", 1)[-1], content_type=DOWNLOAD_TYPES[kind]
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, kind: str) -> HttpResponse:
    kind = KIND_SLUGS.get(kind)
    if kind is None:
        raise Http404
    form_class = forms.RectificationForm if kind == Kind.RECTIFICATION else forms.ConfirmForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.data_rights_request_file(
                actor=request.user, person=request.user, kind=kind, **_request_fields(form)
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect("datarights:request", number=filed.number)
    protection = DataProtectionSettings.load(request)
    return TemplateResponse(
        request,
        "lms/datarights/request_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "due_on": services.request_due_on(kind, received=timezone.localdate()),
            "protection": protection,
        },
    )


def _request_fields(form) -> dict:
    data = form.cleaned_data
    return {
        key: data[key]
        for key in ("field", "current_value", "requested_value", "details")
        if key in data
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Her request: the acknowledgement (number, due date) and every step so far."""
    found = get_object_or_404(access.owned(request.user, DataRightsRequest), number=number)
    return TemplateResponse(
        request,
        "lms/datarights/request_detail.html",
        {"item": found, "today": timezone.localdate()},
    )


# --- Coordinators ------------------------------------------------------------------------------


@login_required
@require_GET
@access.role_required(access.COORDINATES)
def queue(request: HttpRequest) -> HttpResponse:
    everything = request.GET.get("todas") == "1"
    return TemplateResponse(
        request,
        "lms/datarights/queue.html",
        {
            "items": list(requests_queue(request.user, open_only=not everything)),
            "everything": everything,
            "today": timezone.localdate(),
        },
    )


HANDLING_FORMS = {
    "apply": forms.ApplyRectificationForm,
    "close": forms.CloseForm,
    "refuse": forms.RefuseForm,
    "erase": forms.EraseForm,
}


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def handle(request: HttpRequest, number: str) -> HttpResponse:
    """One request of her site: take it, apply it, close it or refuse it."""
    item = access.manage_or_404(request.user, DataRightsRequest, number=number)
    action = request.POST.get("action", "")
    bound = {}
    if request.method == "POST":
        try:
            if action == "start":
                services.data_rights_request_start(actor=request.user, request=item)
                return redirect("datarights:handle", number=item.number)
            form_class = HANDLING_FORMS.get(action)
            if form_class is None:
                raise Http404
            form = bound[action] = form_class(request.POST)
            if form.is_valid():
                _act(request.user, item, action, form.cleaned_data)
                messages.success(request, _("Request %(number)s answered.") % {"number": number})
                return redirect("datarights:handle", number=item.number)
        except ValidationError as error:
            if action in bound:
                _errors(bound[action], error)
            else:
                messages.error(request, " ".join(error.messages))
    item.refresh_from_db()
    handling = {
        name: bound.get(name) or form_class(initial=_initial(item, name))
        for name, form_class in HANDLING_FORMS.items()
    }
    return TemplateResponse(
        request,
        "lms/datarights/handle.html",
        {"item": item, "forms": handling, "today": timezone.localdate()},
    )


def _initial(item: DataRightsRequest, action: str) -> dict:
    return {"value": item.requested_value} if action == "apply" else {}


def _act(actor, item: DataRightsRequest, action: str, data: dict) -> None:
    if action == "apply":
        services.data_rights_rectification_apply(
            actor=actor, request=item, value=data["value"], response=data["response"]
        )
    elif action == "close":
        services.data_rights_request_close(actor=actor, request=item, response=data["response"])
    elif action == "refuse":
        services.data_rights_request_refuse(
            actor=actor, request=item, ground=data["ground"], response=data["response"]
        )
    elif action == "erase":
        services.data_rights_cancellation_carry_out(actor=actor, request=item)


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.COORDINATES)
def file_on_behalf(request: HttpRequest) -> HttpResponse:
    """A request she made in person or by phone, recorded by a coordinator of her site."""
    form = forms.OnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = access.coordinated(request.user, User).filter(username=data["username"]).first()
        if person is None:
            form.add_error("username", _("Nobody of the sites you coordinate has this user name."))
        else:
            try:
                filed = services.data_rights_request_file(
                    actor=request.user,
                    person=person,
                    kind=data["kind"],
                    field=data["field"],
                    requested_value=data["requested_value"],
                    details=data["details"],
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                return redirect("datarights:handle", number=filed.number)
    return TemplateResponse(request, "lms/datarights/file_on_behalf.html", {"form": form})
