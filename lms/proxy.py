"""The client's address behind reverse proxies.

gunicorn sees every request come from the proxy, so per-client limits (sign-in, certificate
lookups) would count the whole world as one client. Each proxy in front of the application
appends the address it saw to X-Forwarded-For, so with ``TRUSTED_PROXY_COUNT`` = n proxies the
client is the n-th entry from the right; anything further left was written by the client and
is ignored, so it cannot be forged. With a count of 0 (the default outside production) the
header is ignored altogether. When ``TRUSTED_PROXIES`` lists addresses, the header is only
believed from a direct peer among them (the application might be reachable around the
proxies); an empty list trusts the count alone. The corrected address becomes REMOTE_ADDR, which
:mod:`lms.client_address` reads for everyone else.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def forwarded_client(remote: str, forwarded: str, *, count: int, proxies) -> str:
    """The client's address given the direct peer and the X-Forwarded-For header."""
    if count <= 0 or not forwarded or (proxies and remote not in proxies):
        return remote
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < count:
        return remote  # fewer hops than proxies: not a request that came through all of them
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            request.META["REMOTE_ADDR"] = forwarded_client(
                request.META.get("REMOTE_ADDR", ""),
                forwarded,
                count=settings.TRUSTED_PROXY_COUNT,
                proxies=frozenset(settings.TRUSTED_PROXIES),
            )
        return self.get_response(request)
