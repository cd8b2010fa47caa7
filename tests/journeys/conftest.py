"""Browser journeys: the demo site served by a real dev server, driven in headless Chromium.

One dev server per test session, on its own SQLite file and media folder, seeded with the demo
data exactly as `make run` does. Every journey gets a fresh browser context and calls
:meth:`Journey.check` after each navigation: a full-page screenshot, axe-core (no serious or
critical violation), the bytes transferred for that page (recorded in weights.csv, and held to
a budget on the activists' pages) and, on phone journeys, no horizontal scrolling.

Chromium is Debian's (/usr/bin/chromium: Playwright's own browser download cannot work here) and
axe-core comes from npm (node_modules/). Without them the journeys skip on a developer's
machine and fail in CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CSP_RECORDER = """
window.__cspBreaches = [];
document.addEventListener("securitypolicyviolation", (event) => {
  if (event.disposition !== "enforce") return;  // the admin's report-only strict policy
  window.__cspBreaches.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ` +
      `${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
PASSWORD = "demo12345"
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which
# this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 20_000


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI, where everything must be installed."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def journey_requirements() -> None:
    require(
        importlib.util.find_spec("playwright") is not None,
        "playwright for Python is not installed (pip install -e '.[dev]')",
    )
    require(
        CHROMIUM.exists(),
        f"{CHROMIUM} not found: install Debian's chromium package to run the browser journeys",
    )
    require(
        AXE.exists(),
        f"{AXE.relative_to(ROOT)} not found: run `npm ci` (or `make pytest` with npm installed)",
    )


# ------------------------------------------------------------------------------------------
# The live server
# ------------------------------------------------------------------------------------------


class LiveServer:
    """The running dev server, and read-only access to its database for stored-state checks."""

    def __init__(self, url: str, database: Path):
        self.url = url
        self.database = database

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        uri = f"file:{self.database}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as connection:
            return connection.execute(sql, params).fetchall()

    def full_name(self, username: str) -> str:
        [(first, last)] = self.query(
            "SELECT first_name, last_name FROM auth_user WHERE username = ?", (username,)
        )
        return f"{first} {last}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, chars: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def _manage(env: dict, log: Path, *args: str) -> None:
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=600,
            check=False,
        )
    if result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{_tail(log)}")


def _wait_until_answers(url: str, server: subprocess.Popen, log: Path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"runserver exited with {server.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"runserver did not answer at {url} within {timeout:.0f} s:\n{_tail(log)}")


@pytest.fixture(scope="session")
def live_site(journey_requirements):
    """migrate, compile_translations and seed_demo on a fresh SQLite file, then runserver."""
    folder = Path(tempfile.mkdtemp(prefix="cem-journeys-"))
    database = folder / "journeys.sqlite3"
    log = folder / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        # The test settings and CI's PostgreSQL and Redis belong to the rest of the suite.
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(folder / "media"),
        BASE_URL=url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    try:
        _manage(env, log, "migrate", "--noinput")
        _manage(env, log, "compile_translations")
        _manage(env, log, "seed_demo")
        if "Traceback" in log.read_text():  # as `make run` prints it on a fresh clone
            pytest.fail(f"preparing a fresh database printed a traceback:\n{_tail(log)}")
        with log.open("a") as out:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_answers(url, server, log)
            yield LiveServer(url, database)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(10)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            shutil.copyfile(log, ARTIFACTS / "server.log")
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# The browser
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(journey_requirements):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives every launch a new, empty user-data directory.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def page_weights():
    """(journey, url, bytes) of every page checked; written to weights.csv at the end."""
    rows: list[tuple[str, str, int]] = []
    yield rows
    if rows:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (ARTIFACTS / "weights.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["journey", "url", "bytes"])
            writer.writerows(rows)


class _Meter:
    """Bytes received over the network (headers and bodies, as Chromium's DevTools count them:
    documents, CSS, JS, fonts, images) since the last take(), and the status of the page's last
    document response.

    The browser's own request for /favicon.ico is left out: no page asks for it, Chromium makes
    it once per browser rather than per page, and the dev server answers it with DEBUG's 14 KB
    error page, so counting it would make the figures depend on the order of the journeys."""

    def __init__(self, page):
        self.page = page
        self.bytes = 0
        self.status = None
        self._ignored = set()

    def sent(self, event: dict) -> None:
        if urlsplit(event["request"]["url"]).path == "/favicon.ico":
            self._ignored.add(event["requestId"])

    def finished(self, event: dict) -> None:
        if event["requestId"] not in self._ignored:
            self.bytes += int(event.get("encodedDataLength") or 0)

    def response(self, response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.status = response.status

    def take(self) -> int:
        taken, self.bytes = self.bytes, 0
        return taken


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation.get('helpUrl', '')})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"      at {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"         {summary[:300]}")
    return "\n".join(lines)


class Journey:
    """One person's way through the site, with the per-page checks after every navigation."""

    def __init__(self, name, *, browser, site, weights, budget, max_width, context_options):
        self.name = name
        self.site = site
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self._browser = browser
        self._weights = weights
        self._budget = budget
        self._max_width = max_width
        self._contexts = []
        self._meters = {}
        self._steps = 0
        self.page = self.new_page(**context_options)

    def new_page(self, **context_options):
        """A page in a new browser context: no cookies, no cache, nobody logged in."""
        options = {"locale": "es-PE", "accept_downloads": True} | context_options
        context = self._browser.new_context(base_url=self.site.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        self._contexts.append(context)
        # Through the browser's debugging protocol, so the Content Security Policy (which
        # forbids inline scripts) leaves them alone: axe-core, and a record of every breach of
        # the policy, which fails the page's check.
        context.add_init_script(path=str(AXE))
        context.add_init_script(CSP_RECORDER)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        meter = _Meter(page)
        page.on("response", meter.response)
        cdp.on("Network.requestWillBeSent", meter.sent)
        cdp.on("Network.loadingFinished", meter.finished)
        cdp.send("Network.enable")
        # Measure every page as a first visit would: the stylesheet counts on each page.
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self._meters[id(page)] = meter
        return page

    def close(self) -> None:
        for context in self._contexts:
            with contextlib.suppress(Exception):
                context.close()

    # -- the per-page checks ----------------------------------------------------------------

    def check(self, step: str, page=None, *, budget: int | None = None) -> int:
        """Screenshot, weight, axe-core and width checks of the page just loaded.

        Returns the bytes transferred since the previous check of the same page."""
        page = page or self.page
        page.wait_for_load_state("networkidle")
        meter = self._meters[id(page)]
        transferred = meter.take()
        self._steps += 1
        page.screenshot(path=self.folder / f"{self._steps:02d}-{_slug(step)}.png", full_page=True)
        self._weights.append((self.name, page.url, transferred))

        problems = []
        if meter.status is None or meter.status >= 400:
            problems.append(f"the page answered HTTP {meter.status}")
        found = self.axe(page)
        violations = [v for v in found if v.get("impact") in BLOCKING_IMPACTS]
        minor = [v for v in found if v.get("impact") not in BLOCKING_IMPACTS]
        if minor:  # not a failure, but kept next to the screenshots for whoever reads them
            with (self.folder / "axe-minor.txt").open("a", encoding="utf-8") as notes:
                notes.write(f"{self._steps:02d} {page.url}\n{_format_violations(minor)}\n")
        if violations:
            problems.append(
                "axe-core serious/critical violations:\n" + _format_violations(violations)
            )
        breaches = page.evaluate("() => window.__cspBreaches || []")
        if breaches:
            problems.append("Content Security Policy breaches:\n" + "\n".join(breaches))
        limit = self._budget if budget is None else budget
        if limit and transferred > limit:
            problems.append(f"page weight {transferred} bytes transferred > budget {limit} bytes")
        if self._max_width:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > self._max_width:
                problems.append(
                    f"horizontal scrolling: scrollWidth {width} px > viewport {self._max_width} px"
                )
        assert not problems, f"{self.name}, step {step!r} at {page.url}:\n" + "\n".join(problems)
        return transferred

    @staticmethod
    def axe(page) -> list[dict]:
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return result["violations"]

    # -- helpers ----------------------------------------------------------------------------

    def login(self, username: str, page=None) -> None:
        page = page or self.page
        page.goto("/cuenta/ingresar/")
        self.check("login", page)
        form = page.locator("main form")
        form.locator('input[name="username"]').fill(username)
        form.locator('input[name="password"]').fill(PASSWORD)
        with page.expect_navigation():
            form.locator('button[type="submit"]').click()
        assert "/cuenta/ingresar/" not in page.url, f"{username} could not log in"
        self.check("home", page)

    def download(self, locator, filename: str, page=None) -> Path:
        """Click a link that downloads a file and save it with the journey's artifacts."""
        page = page or self.page
        with page.expect_download() as info:
            locator.click()
        download = info.value
        assert download.failure() is None, download.failure()
        path = self.folder / filename
        download.save_as(path)
        self._meters[id(page)].take()  # a file, not a page: not part of the next page
        return path


@pytest.fixture
def journey(browser, live_site, page_weights):
    """Factory: journey(name, viewport=..., budget=..., max_width=..., **context options)."""
    journeys = []

    def start(name, *, budget=None, max_width=None, **context_options):
        started = Journey(
            name,
            browser=browser,
            site=live_site,
            weights=page_weights,
            budget=budget,
            max_width=max_width,
            context_options=context_options,
        )
        journeys.append(started)
        return started

    yield start
    for started in journeys:
        started.close()
