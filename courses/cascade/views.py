"""Screens of the cascade. Activists: their community groups and replica sessions (also from the
device's outbox). CEM staff of a site: the sessions to verify, with the evidence photo.
Coordinators and accreditors: the reach and its export (:mod:`.reach_views`).

Every object is looked up through the access module: another person's group, another site's
session, answer 404; a role that never uses a screen gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.cascade.forms import CommunityGroupForm, ReplicaForm, ReturnForm
from courses.cascade.selectors import own_groups, replicas_to_verify, runs_replicas
from courses.cascade.services import (
    ReplicaUuidReused,
    community_group_create,
    replica_record,
    replica_return,
    replica_verify,
)
from courses.models import CommunityGroup, ReplicaSession
from lms import access
from lms.downloads import attachment_response


def _require_replicas(request: HttpRequest) -> None:
    """Activists certified in a course, or practising one; 403 for anybody else."""
    if not runs_replicas(request.user):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
@require_GET
def my_groups(request: HttpRequest) -> HttpResponse:
    _require_replicas(request)
    return TemplateResponse(
        request,
        "courses/cascade/my_groups.html",
        {"cards": own_groups(request.user), "offline_copy": request.headers.get("X-Offline-Copy")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    _require_replicas(request)
    form = CommunityGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = community_group_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                _form_errors(form, error)
        else:
            messages.success(request, _("Group “%(name)s” registered.") % {"name": group.name})
            return redirect(reverse("cascade:my_groups") + f"#group-{group.pk}")
    return TemplateResponse(request, "courses/cascade/group_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def replica_create(request: HttpRequest, group_id: int) -> HttpResponse:
    _require_replicas(request)
    groups = access.owned(request.user, CommunityGroup.objects.select_related("course"))
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise Http404
    form = ReplicaForm(request.POST or None, request.FILES or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = replica_record(actor=request.user, group=group, data=form.replica_input())
        except ReplicaUuidReused:
            form.add_error(None, _("This form was already sent with other content: open it again."))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if recorded.replayed:
                messages.info(request, _("This session had already arrived; nothing changed."))
            else:
                messages.success(
                    request,
                    _("Session of %(date)s recorded: it waits for verification by the CEM.")
                    % {"date": recorded.replica.held_on.strftime("%d/%m/%Y")},
                )
            return redirect(reverse("cascade:my_groups") + f"#group-{group.pk}")
    return TemplateResponse(
        request,
        "courses/cascade/replica_form.html",
        {"form": form, "group": group, "offline_copy": request.headers.get("X-Offline-Copy")},
    )


# --- CEM staff -----------------------------------------------------------------------------------


@login_required
@require_GET
@access.role_required(access.RUNS_SESSIONS)
def verify_list(request: HttpRequest) -> HttpResponse:
    replicas = list(replicas_to_verify(request.user)[:200])
    return TemplateResponse(request, "courses/cascade/verify_list.html", {"replicas": replicas})


@login_required
@require_http_methods(["GET", "POST"])
@access.role_required(access.RUNS_SESSIONS)
def replica_detail(request: HttpRequest, replica_id: int) -> HttpResponse:
    replica = access.manage_or_404(
        request.user,
        ReplicaSession.objects.select_related(
            "group__activist", "group__district", "group__cem__site", "group__course", "reviewed_by"
        ).prefetch_related("sessions", "attendees"),
        pk=replica_id,
    )
    form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                replica_verify(actor=request.user, replica=replica)
                messages.success(request, _("Session verified."))
                return redirect("cascade:verify_list")
            if form.is_valid():
                replica_return(
                    actor=request.user, replica=replica, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Session returned to the activist."))
                return redirect("cascade:verify_list")
        except ValidationError as error:
            _form_errors(form, error)
    return TemplateResponse(
        request,
        "courses/cascade/replica_detail.html",
        {
            "replica": replica,
            "form": form,
            "own": replica.group.activist_id == request.user.pk,
        },
    )


@login_required
@require_GET
@access.role_required(access.RUNS_SESSIONS)
def replica_photo(request: HttpRequest, replica_id: int) -> HttpResponse:
    """The evidence photo, only for the CEM staff of the group's site; never cached."""
    replica = access.manage_or_404(request.user, ReplicaSession, pk=replica_id)
    if not replica.photo:
        raise Http404
    extension = replica.photo.name.rsplit(".", 1)[-1]
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[extension]
    response = attachment_response(
        replica.photo.open("rb"),
        filename=f"replica-{replica.pk}.{extension}",
        content_type=content_type,
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    return response
