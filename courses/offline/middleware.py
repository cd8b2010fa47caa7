"""Tells the service worker who is signed in, so a device's stored rosters never outlive the
account that prepared them (a sign-out, an expired session, another person signing in)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

ACCOUNT_HEADER = "X-Offline-Account"


def offline_account_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            response.headers.setdefault(ACCOUNT_HEADER, str(user.pk) if signed_in else "0")
        return response

    return middleware
