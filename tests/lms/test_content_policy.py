"""The Content Security Policy and the Permissions-Policy of site and admin pages."""

import json
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

SITE_TEMPLATES = [
    p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.relative_to(ROOT).parts
]


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_site_pages_allow_no_inline_code(client, db):
    response = client.get("/verificar/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "Content-Security-Policy-Report-Only" not in response
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_allows_what_wagtail_needs_and_reports_it(client, national_coordinator):
    client.force_login(national_coordinator)
    response = client.get("/admin/")
    enforced = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in enforced["script-src"] and enforced["object-src"] == ["'none'"]
    assert enforced["frame-ancestors"] == ["'self'"] and enforced["default-src"] == ["'self'"]
    reported = directives(response["Content-Security-Policy-Report-Only"])
    assert reported["script-src"] == ["'self'"] and reported["style-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("template", SITE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_site_template_holds_inline_code(template: Path):
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle=", text), "inline style attribute"
    assert not re.search(r"<style[\s>]", text), "inline style element"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    for script in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in script or "application/json" in script, script


def test_breach_reports_are_logged_a_few_per_client(client, db, caplog):
    report = {"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline"}}
    with caplog.at_level("INFO", logger="lms.content_policy"):
        answers = [
            client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
            for _ in range(25)
        ]
    assert {a.status_code for a in answers} == {204}
    assert sum("script-src blocked inline" in r.getMessage() for r in caplog.records) == 20
    assert client.post("/csp-report/", "no", content_type="application/json").status_code in (
        204,
        400,
    )
