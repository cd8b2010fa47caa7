"""Behind a trusted proxy the client's own address counts; a forged header does not."""

from django.test import override_settings

from lms.proxy import TrustedProxyMiddleware


def seen_address(remote: str, forwarded: str | None) -> str:
    from django.test import RequestFactory

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        TrustedProxyMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)
    return request.META["REMOTE_ADDR"]


def test_the_proxy_names_the_client():
    assert seen_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert seen_address("127.0.0.1", "198.51.100.1, 203.0.113.7") == "203.0.113.7"


def test_anyone_else_cannot_choose_their_address():
    assert seen_address("203.0.113.9", "127.0.0.1") == "203.0.113.9"
    assert seen_address("127.0.0.1", None) == "127.0.0.1"
