"""The address of the client a request comes from: the one answer every limit and log uses,
and the keyed hash under which logs keep it (never the address itself)."""

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the web server saw it ("" when there is none, as for a request
    made up in a test or a command)."""
    return request.META.get("REMOTE_ADDR", "")


def sign_in_address(request: HttpRequest) -> str | None:
    """The same for django-axes, which stores it in an address column (None when unknown)."""
    return client_address(request) or None


def client_hash(address: str) -> str:
    """A keyed hash of an address: the same client is recognised, the address is not kept."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
