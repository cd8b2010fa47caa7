"""Fixtures of the portable-credential tests: issued certificates, their published documents,
and the two independent verifiers (jwcrypto for VC-JWT, Digital Bazaar's cryptosuite under node
for Data Integrity)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from certificates.credentials.contexts import CONTEXT_DIR
from certificates.credentials.services import portable_credential_of
from certificates.issuance.services import certificates_issue
from tests.factories import EnrollmentFactory, SessionPageFactory, hold_sessions, named_activist

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"
NODE_VERIFIER = Path(__file__).resolve().parent / "verify_data_integrity.mjs"
NODE_PACKAGE = ROOT / "node_modules" / "@digitalbazaar" / "eddsa-rdfc-2022-cryptosuite"


@pytest.fixture
def issued(cohort_setup, course, django_capture_on_commit_callbacks):
    """Two activists of a cohort who completed it, with their certificates and credentials."""
    sessions = [SessionPageFactory(parent=course, number=n) for n in range(5, 10)]
    cohort = cohort_setup["cohort"]
    winners = [
        EnrollmentFactory(
            cohort=cohort, activist=named_activist(cohort, "Yolanda Ñusta", "Qʼispe")
        ),
        EnrollmentFactory(cohort=cohort),
    ]
    marks = {w: list("PPPPPPPPP") for w in winners}
    marks |= {e: list("AAAAAAAAA") for e in cohort_setup["enrollments"]}
    hold_sessions(cohort, cohort_setup["sessions"] + sessions, marks, days_ago_start=70)
    with django_capture_on_commit_callbacks(execute=True):
        certificates = certificates_issue(actor=None, cohort=cohort)
    portables = [portable_credential_of(c) for c in certificates]
    return cohort_setup | {"certificates": certificates, "portables": portables}


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI, where everything must be installed."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def node_verify(tmp_path):
    """``node_verify(credential, did_document) -> (verified, error)`` with Digital Bazaar's
    eddsa-rdfc-2022 implementation, against the contexts shipped with the platform."""
    node = shutil.which("node")
    require(node is not None, "node is not installed (CI installs nodejs and npm)")
    require(NODE_PACKAGE.exists(), "node_modules/ is missing: run `npm ci` (make test does)")

    def verify(credential: dict, did_document: dict) -> tuple[bool, str | None]:
        credential_file = tmp_path / "credential.json"
        did_file = tmp_path / "did.json"
        credential_file.write_text(json.dumps(credential, ensure_ascii=False), encoding="utf-8")
        did_file.write_text(json.dumps(did_document), encoding="utf-8")
        result = subprocess.run(
            [node, str(NODE_VERIFIER), str(credential_file), str(did_file), str(CONTEXT_DIR)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        outcome = json.loads(result.stdout.strip().splitlines()[-1])
        return outcome["verified"], outcome.get("error")

    return verify
