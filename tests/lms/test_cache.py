"""With Redis stopped the cache misses and drops writes; signed-in pages still open."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from lms import cache as resilient
from lms.roles import Role
from tests.factories import person
from tests.servers import redis_server


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_stopped():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    stopped = {
        "default": {
            "BACKEND": "lms.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    resilient.ResilientRedisCache._down_until = 0.0
    with override_settings(
        CACHES=stopped, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        yield caches["default"]
    resilient.ResilientRedisCache._down_until = 0.0


def test_reads_miss_and_writes_are_dropped(redis_stopped):
    assert redis_stopped.get("x", "default") == "default"
    redis_stopped.set("x", 1)
    assert redis_stopped.add("x", 1) is False
    assert redis_stopped.get_or_set("y", lambda: 7) == 7
    assert redis_stopped.get_many(["x", "y"]) == {}
    with pytest.raises(ValueError):
        redis_stopped.incr("x")


def test_signed_in_pages_open_while_redis_is_stopped(client, redis_stopped, db):
    client.force_login(person(Role.ACTIVIST))
    assert client.get("/panel/").status_code == 200
    assert client.post("/cuenta/olvide/", {"identifier": "nadie"}).status_code == 302


def test_a_cached_value_is_not_computed_again(db):
    """The coordinator's headline figures are computed once, then read from Redis."""
    calls = []

    def compute():
        calls.append(1)
        return 42

    with redis_server() as location:
        running = {"default": {"BACKEND": "lms.cache.ResilientRedisCache", "LOCATION": location}}
        resilient.ResilientRedisCache._down_until = 0.0
        with override_settings(CACHES=running):
            cache = caches["default"]
            assert cache.get_or_set("figure", compute, 60) == 42
            assert cache.get_or_set("figure", compute, 60) == 42
    assert len(calls) == 1
