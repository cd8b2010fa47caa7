"""Behind trusted proxies the client's own address counts; a forged header does not."""

from django.test import override_settings

from lms.proxy import TrustedProxyMiddleware, forwarded_client


def seen_address(remote: str, forwarded: str | None, *, count=1, proxies=("127.0.0.1",)) -> str:
    from django.test import RequestFactory

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    with override_settings(TRUSTED_PROXIES=list(proxies), TRUSTED_PROXY_COUNT=count):
        TrustedProxyMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)
    return request.META["REMOTE_ADDR"]


def test_the_proxy_names_the_client():
    assert seen_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert seen_address("127.0.0.1", "198.51.100.1, 203.0.113.7") == "203.0.113.7"


def test_anyone_else_cannot_choose_their_address():
    assert seen_address("203.0.113.9", "127.0.0.1") == "203.0.113.9"
    assert seen_address("127.0.0.1", None) == "127.0.0.1"


def test_with_two_proxies_the_second_entry_from_the_right_is_the_client():
    # A forged first entry, the client as the CDN saw it, the CDN as nginx saw it.
    header = "10.0.0.66, 203.0.113.7, 198.51.100.20"
    assert seen_address("127.0.0.1", header, count=2) == "203.0.113.7"
    assert seen_address("127.0.0.1", "198.51.100.20", count=2) == "127.0.0.1"


def test_no_proxies_by_default_and_an_empty_list_trusts_the_count():
    assert seen_address("127.0.0.1", "203.0.113.7", count=0) == "127.0.0.1"
    assert forwarded_client("10.1.1.1", "203.0.113.7", count=1, proxies=()) == "203.0.113.7"
    assert forwarded_client("10.1.1.1", "not-an-address", count=1, proxies=()) == "10.1.1.1"
