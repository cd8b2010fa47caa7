"""Helpers for tests that run real servers: ports, redis-server, TLS certificates, a browser.

A missing program fails the test in CI (CI=true) and skips it on a developer's machine."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{binary} is required in CI and was not found")
        pytest.skip(f"{binary} is not installed on this machine")
    return path


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the suite on PostgreSQL (DATABASE_URL); this test needs it")
        pytest.skip("set DATABASE_URL to a PostgreSQL database to run this test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def database_url() -> str:
    """The suite's (test) database as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server of the test's own on a free port; yields its URL."""
    binary = require("redis-server")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process=server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, made with openssl; returns (cert, key)."""
    openssl = require("openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


class Browser:
    """Just enough of a browser over HTTPS: cookies, forms with their CSRF token, no redirects
    followed (each answer is checked as it comes)."""

    def __init__(self, base_url: str, cafile: Path):
        self.base_url = base_url.rstrip("/")
        host_port = self.base_url.split("://", 1)[1]
        self.host, _, port = host_port.partition(":")
        self.port = int(port or 443)
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=60)
        headers = {"Referer": self.base_url + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.base_url
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def submit(self, path: str, fields: dict, *, page: str | None = None):
        """POST `fields` to `path` with the CSRF token of `page` (default: `path` itself)."""
        status, _headers, html = self.get(page or path)
        assert status == 200, f"GET {page or path} answered {status}"
        match = CSRF_INPUT.search(html)
        assert match, f"no CSRF token on {page or path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": match.group(1), **fields})

    def log_in(self, username: str, password: str) -> None:
        status, headers, _ = self.submit(
            "/cuenta/ingresar/", {"username": username, "password": password}
        )
        assert status == 302, f"log in as {username} answered {status}"
