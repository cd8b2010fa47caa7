"""Signing cost of a portable credential: the JSON's eddsa-rdfc-2022 proof and the VC-JWT.

Run from the project root::

    .venv/bin/python bench/credentials_sign.py [--count 200]

Builds distinct OpenBadgeCredentials in memory (no database) and signs each both ways with a
throwaway key, as issuance does. Prints the first signature of the process (which reads,
hash-checks and expands the shipped JSON-LD contexts) apart from the steady state, where the
contexts come from pyld's per-process cache and RDF canonicalisation dominates. Target: at most
10 ms per certificate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from certificates.credentials.credential import IssuerProfile, open_badge_credential  # noqa: E402
from certificates.credentials.data_integrity import add_proof, verify_proof  # noqa: E402
from certificates.credentials.jwt import jose_key, vc_jwt  # noqa: E402
from certificates.credentials.keys import generate_private_key  # noqa: E402

METHOD = "did:web:formacion.example.org#bench"


def certificate(n: int) -> SimpleNamespace:
    return SimpleNamespace(
        code=f"BENC-H{n:03d}-ABCD-EFGH",
        full_name=f"Yolanda Ñusta Qʼispe Mamani {n}",
        course_title="Masculinidades positivas y prevención de la violencia",
        course_code="MP-01",
        curriculum_version="1.2",
        credit_hours=40,
        accrediting_institution="Universidad Nacional de San Agustín",
        issuer="Programa de formación de activistas de los Centros Emergencia Mujer",
        cohort_start=date(2026, 3, 2),
        cohort_end=date(2026, 6, 1),
        created_at=datetime(2026, 6, 2, 15, n % 60, tzinfo=UTC),
        language="es",
    )


def portable(n: int) -> SimpleNamespace:
    return SimpleNamespace(
        subject_id=uuid.uuid4(),
        name_salt=uuid.uuid4().hex,
        name_withheld=False,
        status_list_id=1,
        status_index=(n * 7919) % 131_072,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    key = generate_private_key()
    jose = jose_key(key)
    issuer = IssuerProfile(
        id="did:web:formacion.example.org",
        name="Programa CEM",
        url="https://formacion.example.org/",
    )
    credentials = [
        open_badge_credential(
            certificate=certificate(n),
            portable=portable(n),
            issuer=issuer,
            verification_url=f"https://formacion.example.org/verificar/{n}/",
        )
        for n in range(args.count + 1)
    ]
    now = datetime.now(UTC)

    def sign(credential) -> tuple[float, float]:
        started = time.perf_counter()
        add_proof(credential, private_key=key, verification_method=METHOD, created=now)
        middle = time.perf_counter()
        vc_jwt(credential, key=jose, kid=METHOD, valid_from=now)
        return middle - started, time.perf_counter() - middle

    first_proof, first_jwt = sign(credentials[0])
    proofs, jwts = zip(*(sign(c) for c in credentials[1:]), strict=True)
    totals = [p + j for p, j in zip(proofs, jwts, strict=True)]
    signed = add_proof(credentials[1], private_key=key, verification_method=METHOD, created=now)
    started = time.perf_counter()
    assert verify_proof(signed, public_key=key.public_key(), verification_method=METHOD)
    verify_ms = (time.perf_counter() - started) * 1000

    print(f"credentials signed: {args.count} (plus one first signature)")
    print(
        f"first signature of the process: {(first_proof + first_jwt) * 1000:.1f} ms "
        f"(contexts read, hash-checked and expanded once)"
    )
    print(
        f"per certificate, steady state: mean {statistics.mean(totals) * 1000:.2f} ms, "
        f"median {statistics.median(totals) * 1000:.2f} ms, "
        f"max {max(totals) * 1000:.2f} ms  (target <= 10 ms)"
    )
    print(
        f"  of which Data Integrity proof {statistics.mean(proofs) * 1000:.2f} ms, "
        f"VC-JWT {statistics.mean(jwts) * 1000:.2f} ms"
    )
    print(f"verifying one Data Integrity proof: {verify_ms:.2f} ms")


if __name__ == "__main__":
    main()
