"""Requests refused before any view: a path or a query string with control characters.

A NUL or another control character never belongs in an address; PostgreSQL refuses a NUL in
any text, so such a request would otherwise reach a lookup and fail there with a 500."""

from urllib.parse import unquote

from django.http import HttpRequest, HttpResponseBadRequest

from lms.text_safety import text_problem


def reject_control_characters_middleware(get_response):
    def middleware(request: HttpRequest):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if text_problem(request.path) is not None or text_problem(query) is not None:
            return HttpResponseBadRequest(
                "Bad request: the address holds control characters.", content_type="text/plain"
            )
        return get_response(request)

    return middleware
