"""Sessions for shared phones.

Phones are lent and shared, and their browsers rarely end a session cookie when closed, so
the control that holds is an idle limit kept on the server: an activist's session ends after
``SESSION_IDLE_MINUTES_ACTIVIST`` without a request, anybody else's after
``SESSION_IDLE_MINUTES_STAFF``, and after ``SESSION_IDLE_MINUTES_SHARED`` when she said at
sign-in that the phone is not hers. The cookie itself ends with the browser
(``SESSION_EXPIRE_AT_BROWSER_CLOSE``). Pages seen signed in are personal: none may stay in a
browser's cache (``Cache-Control: no-store``) for the next person who holds the phone.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from lms.roles import Role, user_roles

IDLE_LIMIT_KEY = "idle_limit_minutes"
SEEN_KEY = "seen_at"
SEEN_WRITE_SECONDS = 60  # the session is written at most once a minute for this


def idle_minutes(user, *, shared_device: bool) -> int:
    if shared_device:
        return settings.SESSION_IDLE_MINUTES_SHARED
    if not user.is_staff and user_roles(user) <= {Role.ACTIVIST}:
        return settings.SESSION_IDLE_MINUTES_ACTIVIST
    return settings.SESSION_IDLE_MINUTES_STAFF


@receiver(user_logged_in, dispatch_uid="lms.accounts.session_policy")
def _start(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    shared = bool(getattr(request, "shared_device", False))
    request.session[IDLE_LIMIT_KEY] = idle_minutes(user, shared_device=shared)
    request.session[SEEN_KEY] = int(time.time())


def session_policy_middleware(get_response):
    """Ends a session left idle too long; marks every signed-in answer as not to be stored."""

    def middleware(request: HttpRequest):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            limit = request.session.get(IDLE_LIMIT_KEY) or idle_minutes(user, shared_device=False)
            now = int(time.time())
            seen = request.session.get(SEEN_KEY, now)
            if now - seen > limit * 60:
                logout(request)
                return _signed_out(request)
            if now - seen >= SEEN_WRITE_SECONDS:
                request.session[SEEN_KEY] = now
        response = get_response(request)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
            # Said to the browser; the server may still replay the page to this session.
            response.no_store_for_browsers_only = True
        return response

    return middleware


def _signed_out(request: HttpRequest):
    message = _("You were signed out after a while without activity. Please sign in again.")
    if "application/json" in request.headers.get("Accept", "") or (
        request.content_type == "application/json"
    ):  # a trainer's device: it keeps what it sent and asks to sign in again
        return JsonResponse({"error": "signed_out", "message": message}, status=401)
    messages.info(request, message)
    return redirect_to_login(request.get_full_path())
