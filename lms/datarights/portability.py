"""Access and portability: everything the platform holds about a person, as JSON (to take
elsewhere) and as a readable PDF, built by a Celery task and kept for a day.

:func:`lms.datarights.requests.personal_data_export_request` records the request and queues
the task after commit; :func:`personal_data_export_build` (the task's work) collects every part
of the registry, writes both files under an unguessable folder of the media storage and marks
the download ready until the data-protection settings' period ends;
:func:`personal_data_export_download` counts and logs each download;
:func:`personal_data_exports_expire` deletes the files whose period is over.
Every step is audit-logged.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.pdf.text import format_timestamp
from lms import access
from lms.audit import audit_record
from lms.datarights.document import (
    PersonalDataContent,
    PersonalDataPdfRenderer,
    Section,
    personal_data_filename,
)
from lms.datarights.registry import personal_data_parts
from lms.datarights.subject import Subject, subject_of
from lms.models import AuditLogEntry, DataProtectionSettings, PersonalDataExport

FORMAT = "cem-personal-data/1"


def _local(value: object) -> object:
    """Times as the person reads them: in the platform's time zone, throughout a record."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    if isinstance(value, dict):
        return {key: _local(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_local(inner) for inner in value]
    return value


def personal_data_content(subject: Subject, *, now: dt.datetime) -> PersonalDataContent:
    """Every part's records, in the active language."""
    protection = DataProtectionSettings.load()
    sections = tuple(
        Section(
            key=part.key,
            title=str(part.title),
            fields=tuple((key, str(label)) for key, label in part.fields.items()),
            records=tuple(_local(record) for record in part.collect(subject)),
            note=str(part.note),
        )
        for part in personal_data_parts()
        if part.fields
    )
    local = timezone.localtime(now)
    return PersonalDataContent(
        title=_("Your data on Formación CEM"),
        person=subject.full_name or subject.username,
        produced_at=local,
        facts=(
            (_("Data controller"), protection.controller_name or "—"),
            (_("Address"), protection.controller_address or "—"),
            (_("Personal data bank"), protection.data_bank or "—"),
            (_("Where to exercise your rights"), protection.rights_contact or "—"),
            (_("Produced"), format_timestamp(local)),
            (_("Platform"), settings.BASE_URL),
        ),
        intro=_(
            "Everything the platform holds about you, section by section, as your own "
            "download from “My data”. The JSON file beside this one holds the same data for "
            "another program. You may ask for any of it to be corrected or erased, or stop "
            "the use of your answers for research, from “My data” or at your CEM."
        ),
        sections=sections,
        empty=_("Nothing held."),
        yes=_("yes"),
        no=_("no"),
        page=_("Page %(n)s"),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def personal_data_json(content: PersonalDataContent) -> bytes:
    """The machine-readable copy: stable keys, ISO dates, every label beside its key."""
    document = {
        "format": FORMAT,
        "produced_at": content.produced_at.isoformat(),
        "language": content.language,
        "person": content.person,
        "controller": dict(content.facts),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "fields": dict(section.fields),
                "records": list(section.records),
            }
            for section in content.sections
        ],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def personal_data_export_build(*, export_id: int) -> bool:
    """Collect, write both files, mark ready. Idempotent: a download already built (or
    expired) is left alone; returns whether it was built now."""
    with transaction.atomic():
        export = (
            PersonalDataExport.objects.select_for_update()
            .select_related("person")
            .filter(pk=export_id, status=PersonalDataExport.Status.PENDING)
            .first()
        )
        if export is None:
            return False
        now = timezone.now()
        with translation.override(export.language):
            content = personal_data_content(subject_of(export.person), now=now)
            _name, _type, pdf = PersonalDataPdfRenderer().render(content)
        folder = f"{export.token}/"
        day = timezone.localdate(now)
        export.json_file.save(
            folder + personal_data_filename(day, "json"),
            ContentFile(personal_data_json(content)),
            save=False,
        )
        export.pdf_file.save(
            folder + personal_data_filename(day, "pdf"), ContentFile(pdf), save=False
        )
        hours = DataProtectionSettings.load().exports_retention_hours
        export.status, export.ready_at = PersonalDataExport.Status.READY, now
        export.expires_at = now + dt.timedelta(hours=hours)
        export.save()
        audit_record(
            actor=None,
            action=AuditLogEntry.Action.UPDATE,
            instance=export,
            site=access.home_site_id(export.person),
            after={"status": export.status, "expires_at": export.expires_at.isoformat()},
        )
    return True


def personal_data_export_failed(*, export_id: int) -> None:
    """The task gave up: she sees that it failed and may ask again."""
    PersonalDataExport.objects.filter(
        pk=export_id, status=PersonalDataExport.Status.PENDING
    ).update(status=PersonalDataExport.Status.FAILED)


@transaction.atomic
def personal_data_export_download(
    *, actor: AbstractBaseUser, export: PersonalDataExport, kind: str
) -> None:
    """Count and log one download of the JSON or the PDF."""
    PersonalDataExport.objects.filter(pk=export.pk).update(downloads=export.downloads + 1)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=export,
        site=access.home_site_id(export.person),
        after={"downloaded": kind},
    )


def personal_data_exports_expire(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete the files of every download whose period is over (or that never finished within
    a day); the rows stay, marked expired. Idempotent; returns how many expired now."""
    stale = PersonalDataExport.objects.filter(
        status=PersonalDataExport.Status.READY, expires_at__lte=now
    ) | PersonalDataExport.objects.filter(
        status__in=[PersonalDataExport.Status.PENDING, PersonalDataExport.Status.FAILED],
        requested_at__lte=now - dt.timedelta(days=1),
    )
    exports = list(stale.select_related("person__profile"))
    if dry_run:
        return len(exports)
    for export in exports:
        with transaction.atomic():
            for file in (export.json_file, export.pdf_file):
                if file:
                    file.delete(save=False)
            export.status = PersonalDataExport.Status.EXPIRED
            export.save(update_fields=["status", "json_file", "pdf_file"])
            audit_record(
                actor=None,
                action=AuditLogEntry.Action.UPDATE,
                instance=export,
                site=access.home_site_id(export.person),
                after={"status": export.status},
            )
    return len(exports)
