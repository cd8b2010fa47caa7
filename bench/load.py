"""Load benchmark of the production server: key pages against a hello-world view, then nine
trainers' devices saving attendance sheets.

Run from the project root (PostgreSQL when DATABASE_URL is set, SQLite otherwise)::

    .venv/bin/python bench/load.py [--duration 5] [--concurrency 4] [--sheet-seconds 30]

It builds a throwaway database (a temporary SQLite file, or a new `<name>_load` database on the
DATABASE_URL server, dropped at the end), migrates it and loads the demo; starts a redis-server
of its own when one is installed (the production cache and sessions), and gunicorn with
`lms.settings.production` and 2 workers over TLS with a self-signed certificate it makes
(production cookies are Secure). It logs in as each demo role through the login form, then
for each key page prints requests/s, p50 and p95 latency and the ratio to a hello-world view
served by the same server in the same run, and checks the targets: anonymous curriculum pages
at least 0.25x hello-world, every logged-in key page at least 0.05x. Then 9 devices (3 sites x
3 devices) each open their site's sheet, save it, wait 5 s and save again, for 30 s: saves/s,
p95 and errors (target: 0 errors, p95 < 500 ms); the devices start spread over
one pause.

The load client runs in its own process. Since it shares the machine with the server, the
script prints the CPU the client, the server and everything else used during each
measurement, and the load average: figures taken while other work runs are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadsite.client import SHEET_PAUSE, CpuShare, percentile, run_client  # noqa: E402

PASSWORD = "demo12345"
ANONYMOUS_TARGET = 0.25
LOGGED_IN_TARGET = 0.05
SHEET_P95_TARGET_MS = 500
# (name, who, path or a key filled from the demo's ids)
KEY_PAGES = [
    ("home", None, "/"),
    ("curriculum", None, "/curriculo/"),
    ("course", None, "{course}"),
    ("activist dashboard", "activista", "/panel/"),
    ("trainer dashboard", "facilitador", "/panel/"),
    ("attendance sheet", "facilitador", "{sheet}"),
    ("coordinator dashboard", "coordinadora", "/panel/"),
    ("analytics", "coordinadora", "/analitica/"),
    ("accreditation audit", "acreditadora", "/acreditacion/"),
]
HELLO = "/bench/hola/"
DISCOVER = """
import json
from django.utils import timezone
from courses.models import CoursePage, SessionDelivery
course = CoursePage.objects.live().order_by("pk").first()
sheets = {}
for delivery in SessionDelivery.objects.filter(cohort__status="running").select_related(
        "cohort__cem__site").order_by("scheduled_at"):
    if timezone.localdate(delivery.scheduled_at) == timezone.localdate():
        trainer = delivery.cohort.trainers.order_by("pk").first()
        sheets[delivery.cohort.cem.site.slug] = {
            "path": f"/grupos/{delivery.cohort_id}/sesiones/{delivery.pk}/asistencia/",
            "trainer": trainer.username}
print(json.dumps({"course": course.url_path.removeprefix("/inicio"), "sheets": sheets}))
"""


# ------------------------------------------------------------------------------------------
# Setting up: database, demo, certificate, redis, gunicorn, logins
# ------------------------------------------------------------------------------------------


@dataclass
class Setup:
    workdir: Path
    env: dict = field(default_factory=dict)
    drop_database: str | None = None
    admin_params: dict = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"nothing answered on port {port}:\n{log.read_text()[-3000:]}")


def _manage(setup: Setup, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=setup.env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _postgres_database(setup: Setup, url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_load"
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username,
        "password": parts.password,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    setup.drop_database = name
    setup.admin_params = params
    return parts._replace(path=f"/{name}").geturl()


def _drop_postgres_database(setup: Setup) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **setup.admin_params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{setup.drop_database}" WITH (FORCE)')


def prepare(setup: Setup, args) -> None:
    work = setup.workdir
    url = os.environ.get("DATABASE_URL", "")
    database = _postgres_database(setup, url) if url.startswith("postgres") else ""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="loadsite.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        DJANGO_SECRET_KEY="bench-only-secret-" + "x" * 50,
        ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=database or f"sqlite:///{work / 'load.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
        CREDENTIALS_KEY_FILE=str(work / "signing-keys.pem"),
        BASE_URL=f"https://localhost:{port}",
        PORT=str(port),
        WEB_CONCURRENCY=str(args.workers),
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="",
        REDIS_URL="",
    )
    if args.render:
        env.update(PAGE_CACHE_SECONDS="0", SESSION_PAGE_CACHE_SECONDS="0")
    setup.env = env
    redis = shutil.which("redis-server")
    if redis and not args.no_redis:
        redis_port = _free_port()
        log = work / "redis.log"
        process = subprocess.Popen(
            [redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        setup.processes.append(process)
        _wait_for(redis_port, process, log)
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    print(
        f"database: {'PostgreSQL' if database else 'SQLite'}; cache and sessions: "
        f"{'Redis' if env['REDIS_URL'] else 'the database'}; preparing the demo…",
        flush=True,
    )
    _manage(setup, "migrate", "--noinput", "-v0")
    _manage(setup, "compile_translations")
    _manage(setup, "collectstatic", "--noinput", "-v0")
    _manage(setup, "credentials_keys", "create")
    _manage(setup, "seed_demo")
    env["BENCH_IDS"] = _manage(setup, "shell", "-c", DISCOVER).strip().splitlines()[-1]
    openssl = shutil.which("openssl") or sys.exit("openssl is needed for the TLS certificate")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    env.update(GUNICORN_CERTFILE=str(work / "cert.pem"), GUNICORN_KEYFILE=str(work / "key.pem"))


def start_server(setup: Setup) -> subprocess.Popen:
    log = setup.workdir / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=setup.env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    setup.processes.append(server)
    _wait_for(int(setup.env["PORT"]), server, log)
    return server


def log_in(setup: Setup, username: str) -> str:
    """Log in through the form over TLS; returns the Cookie header of the session."""
    import http.client
    from http.cookies import SimpleCookie

    context = ssl.create_default_context(cafile=str(setup.workdir / "cert.pem"))
    port = int(setup.env["PORT"])
    cookies: dict[str, str] = {}

    def call(method: str, path: str, body: str | None = None):
        conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://localhost:{port}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        conn.close()
        return response.status, text

    _status, html = call("GET", "/cuenta/ingresar/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    status, _ = call("POST", "/cuenta/ingresar/", form)
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"could not log in as {username} (answered {status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# ------------------------------------------------------------------------------------------
# Running and printing
# ------------------------------------------------------------------------------------------


def measure(setup, server, path: str, cookie: str, args) -> tuple[dict, CpuShare]:
    target = {
        "port": int(setup.env["PORT"]),
        "cafile": str(setup.workdir / "cert.pem"),
        "path": path,
        "cookie": cookie,
    }
    return run_client(server.pid, "pages", target, args.duration, args.concurrency, args.warmup)


def summary(result: dict) -> tuple[float, float, float]:
    rate = len(result["latencies"]) / result["seconds"]
    p50 = percentile(result["latencies"], 0.50) * 1000
    p95 = percentile(result["latencies"], 0.95) * 1000
    return rate, p50, p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    parser.add_argument("--concurrency", type=int, default=4, help="connections per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--sheet-seconds", type=float, default=30.0)
    parser.add_argument("--no-redis", action="store_true", help="cache in the database")
    parser.add_argument(
        "--render",
        action="store_true",
        help="no whole-page caches: every request renders its page (where the time goes)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--page", action="append", dest="pages", help="only this key page (repeat); e.g. course"
    )
    args = parser.parse_args()

    setup = Setup(workdir=Path(tempfile.mkdtemp(prefix="cem-load-")))
    failures = []
    try:
        prepare(setup, args)
        ids = json.loads(setup.env["BENCH_IDS"])
        server = start_server(setup)
        cookies = {None: ""}
        for _name, who, _path in KEY_PAGES:
            if who not in cookies:
                cookies[who] = log_in(setup, who)
        print(
            f"gunicorn, {args.workers} workers, TLS; {args.concurrency} keep-alive connections,"
            f" {args.duration:.0f} s per page after {args.warmup:.0f} s of warm-up"
            + ("; page caches off (--render)" if args.render else "; repeated views")
            + "\n"
        )
        hello, share = measure(setup, server, HELLO, "", args)
        hello_rate, p50, p95 = summary(hello)
        header = f"{'page':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'ratio':>8}  target"
        print(header)
        print("-" * len(header))
        print(f"{'hello-world':<24}{hello_rate:8.0f}{p50:9.1f}{p95:9.1f}{1:8.3f}")
        print(f"{'':<24}{share.line()}")
        for name, who, path in KEY_PAGES:
            if args.pages and name not in args.pages:
                continue
            path = path.format(
                course=ids["course"], sheet=ids["sheets"]["villa-maria-del-triunfo"]["path"]
            )
            result, share = measure(setup, server, path, cookies[who], args)
            rate, p50, p95 = summary(result)
            ratio = rate / hello_rate
            target = ANONYMOUS_TARGET if who is None else LOGGED_IN_TARGET
            bad = {s: n for s, n in result["statuses"].items() if s != 200}
            verdict = "ok" if ratio >= target and not bad and not result["errors"] else "MISSED"
            if verdict != "ok":
                failures.append(name)
            note = f"  answers {bad}" if bad else ""
            note += f"  {result['errors']} connection errors" if result["errors"] else ""
            print(
                f"{name:<24}{rate:8.0f}{p50:9.1f}{p95:9.1f}{ratio:8.3f}  ≥{target} {verdict}{note}"
            )
            print(f"{'':<24}{share.line()}")

        print(
            f"\n9 devices (3 sites × 3) saving sheets for {args.sheet_seconds:.0f} s, "
            f"{SHEET_PAUSE:.0f} s between saves"
        )
        sheets = []
        for _site, sheet in sorted(ids["sheets"].items()):
            for _device_number in range(3):
                sheets.append({"path": sheet["path"], "cookie": log_in(setup, sheet["trainer"])})
        target = {
            "port": int(setup.env["PORT"]),
            "cafile": str(setup.workdir / "cert.pem"),
            "sheets": sheets,
        }
        result, share = run_client(server.pid, "devices", target, args.sheet_seconds)
        saves = result["latencies"]
        p95 = percentile(saves, 0.95) * 1000
        errors = result["errors"]
        verdict = "ok" if not errors and p95 < SHEET_P95_TARGET_MS else "MISSED"
        if verdict != "ok":
            failures.append("sheet saves")
        print(
            f"saves: {len(saves)} ({len(saves) / args.sheet_seconds:.2f}/s), "
            f"p50 {percentile(saves, 0.5) * 1000:.0f} ms, p95 {p95:.0f} ms, "
            f"errors {len(errors)}  (target 0 errors, p95 < {SHEET_P95_TARGET_MS} ms) {verdict}"
        )
        for error in errors[:5]:
            print(f"  {error}")
        print(share.line())
    finally:
        for process in reversed(setup.processes):
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(20)
        if setup.drop_database:
            _drop_postgres_database(setup)
        if args.keep:
            print(f"work folder kept: {setup.workdir}")
        else:
            shutil.rmtree(setup.workdir, ignore_errors=True)
    if failures:
        print(f"\nmissed targets: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
