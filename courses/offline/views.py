"""The trainer's device: its service worker and manifest, the bundle it prepares, the page that
shows what it keeps, the endpoint its outbox sends sheets to, and typing in a paper sheet.

The sync endpoint answers JSON in every case, so the device can act on each answer:

    201 saved · 200 already_received (same UUID, same content: nothing changed)
    400 malformed (nothing saved) · 401 signed_out · 403 forbidden, wrong_account or csrf
    404 not_found (a session the user does not manage, or none) · 409 conflict (marks someone
    else changed since the device read them: both versions) or uuid_reused
    422 refused, with a `code` (cancelled, cohort_closed, future_session, device_clock,
    before_session, invalid) and a translated message; such a sheet can never be saved."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses.cascade.selectors import runs_replicas
from courses.models import SessionDelivery, SheetReceipt
from courses.offline.assets import SERVICE_WORKER_TEMPLATE, asset_urls, assets_version
from courses.offline.paper import sheet_code_decode
from courses.offline.presenters import bundle_json, conflict_json, saved_json
from courses.offline.protocol import MalformedSheet, sheet_parse
from courses.offline.selectors import offline_bundle
from courses.offline.services import Received, SheetUuidReused, offline_sheet_receive
from courses.selectors.delivery import managed_delivery_or_404
from courses.services.attendance import SheetConflict
from courses.views.trainer import sheet_saved_message
from lms import access


def _answer(http_status: int, status: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"status": status, "message": message, **extra}, status=http_status)


def _replayed(received: Received, *, delivery) -> JsonResponse:
    return JsonResponse(
        saved_json(
            status="already_received",
            result=received.result,
            receipt=received.receipt,
            message=_("This sheet had already arrived; nothing changed."),
        )
        | {"delivery": delivery},
        status=200,
    )


@require_POST
@never_cache
def attendance_sync(request: HttpRequest, cohort_id: int, delivery_id: int) -> JsonResponse:
    """One sheet from the device's outbox, saved through attendance_sheet_save."""
    user = request.user
    if not user.is_authenticated:
        return _answer(401, "signed_out", _("Your session has ended: sign in again to send."))
    if not access.has_any_role(user, access.RUNS_SESSIONS):
        return _answer(403, "forbidden", _("Your role does not take attendance."))
    try:
        sheet = sheet_parse(request.body)
    except MalformedSheet as error:
        return _answer(400, "malformed", _("The sheet could not be read."), problems=error.problems)
    if sheet.recorded_by != user.pk:
        return _answer(
            403,
            "wrong_account",
            _("This sheet was recorded under another account; it is sent only under that one."),
        )
    try:
        _cohort, delivery = managed_delivery_or_404(
            user, cohort_id=cohort_id, delivery_id=delivery_id
        )
    except Http404:
        # A sheet this account sent before is still "already received", even from a group it
        # no longer runs; anything else about the session stays unknown.
        receipt = SheetReceipt.objects.filter(
            uuid=sheet.uuid, recorded_by=user, delivery_id=delivery_id
        ).first()
        if receipt is not None and receipt.content_digest == sheet.digest(delivery_id=delivery_id):
            return _replayed(Received(receipt=receipt, replayed=True), delivery=delivery_id)
        return _answer(
            404, "not_found", _("This session is not among the groups you manage any more.")
        )
    try:
        received = offline_sheet_receive(actor=user, delivery=delivery, sheet=sheet)
    except SheetConflict as conflict:
        return JsonResponse(conflict_json(conflict.conflicts), status=409)
    except SheetUuidReused:
        return _answer(
            409, "uuid_reused", _("A different sheet with the same identifier was received before.")
        )
    except ValidationError as error:
        code = getattr(error, "code", None) or error.error_list[0].code or "invalid"
        return _answer(422, "refused", " ".join(error.messages), code=code)
    except IntegrityError:
        # The same sheet arrived twice at once and the other copy won: answer as a re-send.
        receipt = SheetReceipt.objects.filter(uuid=sheet.uuid, recorded_by=user).first()
        if receipt is None or receipt.content_digest != sheet.digest(delivery_id=delivery.pk):
            raise
        return _replayed(Received(receipt=receipt, replayed=True), delivery=delivery.pk)
    if received.replayed:
        return _replayed(received, delivery=delivery.pk)
    if sheet.notify:
        sheet_saved_message(request, delivery=delivery, result=received.result)
    return JsonResponse(
        saved_json(
            status="saved",
            result=received.result,
            receipt=received.receipt,
            message=_("Attendance saved for “%(session)s”.") % {"session": delivery.session.title},
        )
        | {"delivery": delivery.pk},
        status=201,
    )


@login_required
@require_GET
@never_cache
@access.role_required(access.RUNS_SESSIONS)
def prepare_bundle(request: HttpRequest) -> JsonResponse:
    """What "Prepare for offline" stores: the sessions of the open groups and their pages."""
    bundle = offline_bundle(request.user, request=request)
    pages = [reverse("courses:offline_device"), *bundle.page_urls()]
    return JsonResponse(bundle_json(bundle, user=request.user, pages=pages))


@login_required
@require_GET
def device_page(request: HttpRequest) -> HttpResponse:
    """What this device keeps and what waits in its outbox. Its content comes from the device,
    so the page is the same for everyone and is stored to be shown without connection.
    Trainers and coordinators, and activists who run replica sessions, have one."""
    if not (access.has_any_role(request.user, access.RUNS_SESSIONS) or runs_replicas(request.user)):
        raise PermissionDenied
    return TemplateResponse(request, "courses/offline/device.html", {})


@login_required
@require_GET
@access.role_required(access.RUNS_SESSIONS)
def paper_sheet(request: HttpRequest) -> HttpResponse:
    """The code printed on a sign-in sheet opens its attendance sheet, ready to type it in."""
    code = request.GET.get("codigo", "")
    delivery_id = sheet_code_decode(code)
    delivery = (
        access.manageable(request.user, SessionDelivery).filter(pk=delivery_id).first()
        if delivery_id
        else None
    )
    if delivery is None:
        messages.error(
            request,
            _(
                "No session of your groups has the code “%(code)s”. "
                "Check the code printed on top of the sheet."
            )
            % {"code": code.strip()[:20]},
        )
        return redirect(reverse("courses:my_cohorts") + "#paper")
    url = reverse("courses:attendance_sheet", args=[delivery.cohort_id, delivery.pk])
    return redirect(url + "?papel=1")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so that its scope covers every page, in both languages."""
    body = render_to_string(
        SERVICE_WORKER_TEMPLATE,
        {"version": assets_version(), "assets": json.dumps(asset_urls())},
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers compare this file on every visit; it must never come from a cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    manifest = {
        "name": _("CEM training"),
        "short_name": _("CEM training"),
        "description": _("Groups, attendance and facilitator guides, also without connection."),
        "lang": get_language(),
        "start_url": reverse("courses:my_cohorts"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7a1f5c",
        "icons": [
            {
                "src": static(f"courses/offline/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
