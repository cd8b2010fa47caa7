"""What every page of a trainer or coordinator tells the device's scripts (config and strings).

Activists get them only when they run replica sessions of the cascade (their outbox holds
those, never questionnaire answers); other people's pages carry no offline script at all."""

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from courses.cascade.selectors import runs_replicas
from courses.offline.strings import interface_strings
from lms import access


def offline(request: HttpRequest) -> dict:
    # The device stores this page to show it later: messages stay for the next real visit.
    user = getattr(request, "user", None)
    context = {
        "offline_copy": request.headers.get("X-Offline-Copy") == "1",
        # Lazy: the navigation of activists' pages asks it (one query); nothing else does.
        "runs_replicas": SimpleLazyObject(lambda: runs_replicas(user)),
    }
    runs_sessions = access.has_any_role(user, access.RUNS_SESSIONS)
    if not runs_sessions and not runs_replicas(user):
        return context
    device = reverse("courses:offline_device")
    context["offline"] = {
        "user": user.pk,
        # A page rendered later carries a newer token: the device keeps only the newest.
        "csrf": get_token(request),
        "at": timezone.now().isoformat(),
        "sw": reverse("service_worker"),
        "device": device,
        "bundle": reverse("courses:offline_bundle" if runs_sessions else "cascade:bundle"),
        "login": f"{reverse('login')}?next={device}",
        "strings": interface_strings(),
    }
    return context
