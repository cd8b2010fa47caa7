"""Recovery after an outage of the broker, the workers or the disk: every certificate ends with
a current PDF and its holder told once.

* :func:`certificates_recover` renders what has no PDF, what shows another status than its
  row (revoked while no worker ran), and, when asked to look at the storage (the daily run and
  the command), what lost its file; then tells, once, the holders nobody told yet; and removes
  the temporary files of renders that never finished.
* It is idempotent: a second run right after finds nothing to do.

The periodic jobs (:mod:`certificates.periodic`) and ``render_pending_certificates`` call it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from certificates.documents.services import (
    TEMPORARY_PREFIX,
    certificate_notify,
    certificate_render,
    pending_certificates,
)
from certificates.models import Certificate

# A certificate younger than this still has its own rendering task in flight.
RENDER_GRACE = timedelta(minutes=2)
# A temporary file older than this belongs to a render that died.
TEMPORARY_FILE_AGE = timedelta(minutes=10)
PDF_FOLDER = Certificate._meta.get_field("pdf").upload_to


@dataclass(frozen=True)
class Recovery:
    rendered: int
    notified: int
    missing_files: int
    removed_temporary: int


def _lost_files() -> list[int]:
    return [
        pk
        for pk, name in Certificate.objects.exclude(pdf="").values_list("pk", "pdf")
        if not default_storage.exists(name)
    ]


def _remove_temporary_files() -> int:
    try:
        folder = default_storage.path(PDF_FOLDER)
    except NotImplementedError:  # an object store has no half-written objects
        return 0
    if not os.path.isdir(folder):
        return 0
    cutoff = time.time() - TEMPORARY_FILE_AGE.total_seconds()
    removed = 0
    for entry in os.scandir(folder):
        if entry.name.startswith(TEMPORARY_PREFIX) and entry.stat().st_mtime < cutoff:
            os.unlink(entry.path)
            removed += 1
    return removed


def certificates_recover(*, check_files: bool = False, grace: timedelta = RENDER_GRACE) -> Recovery:
    """Render, tell and clean up what an outage left behind (see the module docstring)."""
    cutoff = timezone.now() - grace
    to_render = set(
        pending_certificates().filter(created_at__lte=cutoff).values_list("pk", flat=True)
    )
    lost = _lost_files() if check_files else []
    to_render.update(lost)
    for certificate_id in sorted(to_render):
        certificate_render(certificate_id=certificate_id)
    untold = Certificate.objects.filter(
        status=Certificate.Status.VALID, notified_at__isnull=True, created_at__lte=cutoff
    ).exclude(pdf="")
    notified = 0
    for certificate_id in untold.values_list("pk", flat=True):
        certificate_notify(certificate_id=certificate_id)
        notified += 1
    return Recovery(
        rendered=len(to_render),
        notified=notified,
        missing_files=len(lost),
        removed_temporary=_remove_temporary_files(),
    )
