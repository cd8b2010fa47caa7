"""The activist's device: what "Prepare for offline" keeps of her groups, and the endpoint her
outbox sends replica sessions to. The same contract as attendance sheets:

    201 saved · 200 already_received (same UUID, same content: nothing changed)
    400 malformed (nothing saved, every problem listed) · 401 signed_out
    403 forbidden or wrong_account · 404 not_found (not a group of hers)
    409 uuid_reused (the same UUID came before with other content)
    422 refused, with a `code` (see courses.cascade.services) and a translated message

The body is multipart: a ``replica`` part holding the JSON of :mod:`.protocol` and an
optional ``photo`` file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses.cascade.photos import MAX_PHOTO_BYTES
from courses.cascade.protocol import MalformedReplica, replica_parse
from courses.cascade.selectors import runs_replicas
from courses.cascade.services import ReplicaUuidReused, replica_record
from courses.models import CommunityGroup, ReplicaSession
from lms import access


def _answer(http_status: int, status: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"status": status, "message": message, **extra}, status=http_status)


def _saved(replica: ReplicaSession, *, status: str, message: str, code: int) -> JsonResponse:
    return JsonResponse(
        {
            "status": status,
            "replica": str(replica.uuid),
            "received_at": replica.received_at.isoformat(),
            "server_time": timezone.now().isoformat(),
            "message": message,
        },
        status=code,
    )


def _already(replica: ReplicaSession) -> JsonResponse:
    message = _("This session had already arrived; nothing changed.")
    return _saved(replica, status="already_received", message=message, code=200)


@require_POST
@never_cache
def replica_sync(request: HttpRequest, group_id: int) -> JsonResponse:
    """One replica session from the device's outbox, saved through replica_record."""
    user = request.user
    if not user.is_authenticated:
        return _answer(401, "signed_out", _("Your session has ended: sign in again to send."))
    if not runs_replicas(user):
        return _answer(403, "forbidden", _("Your account does not report replica sessions."))
    upload = request.FILES.get("photo")
    if upload is not None and upload.size > MAX_PHOTO_BYTES:
        photo = b"\xff" * (MAX_PHOTO_BYTES + 1)  # refused by the service with its message
    else:
        photo = upload.read() if upload is not None else None
    try:
        data, recorded_by = replica_parse(request.POST.get("replica", ""), photo=photo)
    except MalformedReplica as error:
        message = _("The session could not be read.")
        return _answer(400, "malformed", message, problems=error.problems)
    if recorded_by != user.pk:
        return _answer(
            403,
            "wrong_account",
            _("This session was recorded under another account; it is sent only under that one."),
        )
    group = access.owned(user, CommunityGroup).filter(pk=group_id).first()
    if group is None:
        return _answer(404, "not_found", _("This group is not among yours."))
    try:
        recorded = replica_record(actor=user, group=group, data=data)
    except ReplicaUuidReused:
        return _answer(
            409, "uuid_reused", _("A different session with the same identifier was received.")
        )
    except ValidationError as error:
        code = error.error_list[0].code or "invalid"
        return _answer(422, "refused", " ".join(error.messages), code=code)
    except IntegrityError:
        # The same session arrived twice at once and the other copy won: answer as a re-send.
        replica = ReplicaSession.objects.filter(uuid=data.uuid, reported_by=user).first()
        if replica is None or replica.content_digest != data.digest(group_id=group.pk):
            raise
        return _already(replica)
    if recorded.replayed:
        return _already(recorded.replica)
    message = _("Session of %(date)s recorded: it waits for verification by the CEM.") % {
        "date": recorded.replica.held_on.strftime("%d/%m/%Y")
    }
    return _saved(recorded.replica, status="saved", message=message, code=201)


@login_required
@require_GET
@never_cache
def offline_bundle(request: HttpRequest) -> JsonResponse:
    """What "Prepare for offline" keeps for an activist: the list of her groups and the form
    of each; never anything about questionnaires."""
    if not runs_replicas(request.user):
        return _answer(403, "forbidden", _("Your account does not report replica sessions."))
    groups = access.owned(request.user, CommunityGroup).order_by("name", "pk")
    forms = [reverse("cascade:replica_create", args=[g.pk]) for g in groups]
    now = timezone.now()
    return JsonResponse(
        {
            "user": request.user.pk,
            "prepared_at": now.isoformat(),
            "cohorts": [],
            "groups": [
                {"id": g.pk, "name": g.name, "form_url": url}
                for g, url in zip(groups, forms, strict=True)
            ],
            "pages": [reverse("courses:offline_device"), reverse("cascade:my_groups"), *forms],
        }
    )
