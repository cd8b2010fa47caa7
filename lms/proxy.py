"""The client's address behind the reverse proxy.

gunicorn sees every request come from the proxy, so per-client limits (certificate lookups)
would count the whole world as one client. When the direct peer is one of TRUSTED_PROXIES,
the address the proxy put in X-Forwarded-For (its last entry: the one it saw itself) becomes
REMOTE_ADDR; from anyone else the header is ignored, so it cannot be forged.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.proxies = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and request.META.get("REMOTE_ADDR") in self.proxies:
            request.META["REMOTE_ADDR"] = forwarded.rsplit(",", 1)[-1].strip()
        return self.get_response(request)
