"""The de-identified export of replica sessions: one CSV row per session and its data
dictionary, for analysts. No name, no person, no photo ever leaves in it: a session is known
by its UUID, its group by a number, its place by CEM, site and district ubigeo. Every export
is written to the audit log. Reads in a fixed number of queries."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from courses.cascade.bands import BANDS, CELLS, SEXES
from courses.models import ReplicaSession
from lms import access
from lms.audit import audit_entry
from lms.downloads import csv_document, spreadsheet_text, zip_stream
from lms.models import AuditLogEntry, Site

REPLICAS_FILE = "replicas.csv"
DICTIONARY_FILE = "replicas_diccionario.csv"
SEX_ES = {"F": "mujeres", "M": "hombres", "X": "otro o no dice"}
BAND_ES = {"u18": "menores de 18", "18_29": "18 a 29", "30_49": "30 a 49", "50p": "50 a más"}

# (variable, type, label in Spanish, choices)
VARIABLES: list[tuple[str, str, str, str]] = [
    ("replica_uuid", "texto", "Identificador de la sesión de réplica (UUID)", ""),
    ("group_number", "entero", "Número del grupo comunitario (no identifica a personas)", ""),
    (
        "group_kind",
        "texto",
        "Tipo de grupo",
        "men, Grupo de hombres | mixed, Grupo mixto | youth, Grupo de jóvenes | "
        "leaders, Líderes locales | institution, Institución",
    ),
    ("site", "texto", "Sede del programa", ""),
    ("cem", "texto", "CEM", ""),
    ("district_ubigeo", "texto", "Ubigeo INEI del distrito (6 dígitos)", ""),
    ("district", "texto", "Distrito", ""),
    ("course_code", "texto", "Código del curso cuyas sesiones se usaron", ""),
    (
        "session_codes",
        "texto",
        "Sesiones del currículo usadas (código-S número), separadas por espacios",
        "",
    ),
    ("held_on", "fecha", "Fecha de la sesión (AAAA-MM-DD)", ""),
    ("month", "texto", "Mes de la sesión (AAAA-MM)", ""),
    ("duration_minutes", "entero", "Duración en minutos", ""),
    *[
        (cell.field, "entero", f"Participantes: {SEX_ES[cell.sex]}, {BAND_ES[cell.band]}", "")
        for cell in CELLS
    ],
    *[
        (
            cell.first_field,
            "entero",
            f"Participan por primera vez: {SEX_ES[cell.sex]}, {BAND_ES[cell.band]}",
            "",
        )
        for cell in CELLS
    ],
    ("participants", "entero", "Participantes en total", ""),
    ("first_time", "entero", "Participantes por primera vez en total", ""),
    (
        "named_attendance",
        "entero",
        "Cuántos nombres tiene la lista de asistencia (nunca los nombres)",
        "",
    ),
    ("from_device", "entero", "Enviada desde el teléfono sin conexión", "1, sí | 0, no"),
    ("status", "texto", "Estado", "pending, En espera | verified, Verificada | returned, Devuelta"),
    (
        "verified",
        "entero",
        "Verificada por el CEM (solo estas cuentan en los indicadores)",
        "1, sí | 0, no",
    ),
]
COLUMNS = tuple(name for name, *_rest in VARIABLES)

assert {code for code, _p in SEXES} == set(SEX_ES) and {b for b, *_r in BANDS} == set(BAND_ES)


@dataclass(frozen=True)
class ReplicaExport:
    replicas: bytes
    dictionary: bytes
    rows: int


def _rows(replicas: list[ReplicaSession]) -> list[list[object]]:
    rows = []
    for replica in replicas:
        group, course = replica.group, replica.group.course
        row = {
            "replica_uuid": str(replica.uuid),
            "group_number": group.pk,
            "group_kind": group.kind,
            "site": spreadsheet_text(group.cem.site.name),
            "cem": spreadsheet_text(group.cem.name),
            "district_ubigeo": group.district.ubigeo,
            "district": spreadsheet_text(group.district.name),
            "course_code": spreadsheet_text(course.code),
            "session_codes": " ".join(
                f"{course.code}-S{s.number:02d}"
                for s in sorted(replica.sessions.all(), key=lambda s: s.number)
            ),
            "held_on": replica.held_on.isoformat(),
            "month": replica.held_on.strftime("%Y-%m"),
            "duration_minutes": replica.duration_minutes,
            "participants": replica.participants,
            "first_time": replica.first_timers,
            "named_attendance": replica.named,
            "from_device": int(replica.origin == "device"),
            "status": replica.status,
            "verified": int(replica.status == ReplicaSession.Status.VERIFIED),
        }
        for cell in CELLS:
            row[cell.field] = getattr(replica, cell.field)
            row[cell.first_field] = getattr(replica, cell.first_field)
        rows.append([row[column] for column in COLUMNS])
    return rows


def replicas_export(
    *, actor: AbstractBaseUser | None, site: Site | None = None, everything: bool = False
) -> ReplicaExport:
    """Every replica session in the actor's scope (the figures of :mod:`lms.access`), or of
    every site when `everything` (the command line, run by the server's operator)."""
    replicas = (
        ReplicaSession.objects.all() if everything else access.in_figures(actor, ReplicaSession)
    )
    if site is not None:
        replicas = replicas.filter(group__cem__site=site)
    replicas = (
        replicas.select_related("group__cem__site", "group__district", "group__course")
        .prefetch_related("sessions")
        .annotate(named=Count("attendees"))
        .order_by("held_on", "pk")
    )
    replicas = list(replicas)
    rows = _rows(replicas)
    dictionary = csv_document(
        ("variable", "tipo", "etiqueta", "valores", "identificador"),
        [(name, kind, label, values, "no") for name, kind, label, values in VARIABLES],
    )
    result = ReplicaExport(
        replicas=csv_document(COLUMNS, rows), dictionary=dictionary, rows=len(rows)
    )
    # One entry per site whose sessions left, so each site's audit log shows its exports.
    per_site: dict[int, int] = {}
    for replica in replicas:
        per_site[replica.group.cem.site_id] = per_site.get(replica.group.cem.site_id, 0) + 1
    AuditLogEntry.objects.bulk_create(
        [
            audit_entry(
                actor=actor,
                action=AuditLogEntry.Action.CREATE,
                instance=exported,
                site=exported,
                after={"export": REPLICAS_FILE, "rows": per_site[exported.pk]},
            )
            for exported in Site.objects.filter(pk__in=list(per_site)).order_by("pk")
        ]
    )
    return result


def export_zip(export: ReplicaExport):
    """The two files as one streamed ZIP."""
    return zip_stream(
        [
            (REPLICAS_FILE, lambda: io.BytesIO(export.replicas)),
            (DICTIONARY_FILE, lambda: io.BytesIO(export.dictionary)),
        ]
    )
