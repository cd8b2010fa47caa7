"""Server errors reach Sentry only when SENTRY_DSN is set (a local collector stands in)."""

import gzip
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A request that fails on the server: the database file has no tables.
PROBE = (
    "import django, sentry_sdk; django.setup(); from django.test import Client; "
    "status = Client(raise_request_exception=False).get('/verificar/ABCD/').status_code; "
    "sentry_sdk.flush(5); print(status, sentry_sdk.get_client().is_active())"
)


class Collector(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Collector.bodies.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def run_probe(tmp_path, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "REDIS_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="CRITICAL",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_errors_are_sent_only_when_a_dsn_is_set(tmp_path):
    Collector.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert run_probe(tmp_path) == "500 False"
        assert Collector.bodies == []
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
        assert run_probe(tmp_path, SENTRY_DSN=dsn) == "500 True"
    finally:
        server.shutdown()
    sent = b"".join(Collector.bodies).decode(errors="replace")
    assert "OperationalError" in sent
    assert "/verificar/ABCD/" in sent
    assert "sessionid" not in sent and "REMOTE_ADDR" not in sent
