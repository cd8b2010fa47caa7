"""backup_create and backup_restore (see the package docstring for the contract)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from lms import data_generation, page_cache
from lms.backup import database
from lms.backup.manifest import MANIFEST_NAME, FileEntry, Manifest, sha256_of_file
from lms.backup.media import (
    media_backup,
    media_is_empty,
    media_problems,
    media_restore,
    stored_problems,
)

MEDIA_FOLDER = "media"
SNAPSHOTS = {
    "sqlite": (database.SQLITE_FILE, database.sqlite_snapshot, database.sqlite_restore),
    "postgresql": (database.POSTGRES_FILE, database.postgres_snapshot, database.postgres_restore),
}


class BackupError(Exception):
    """A backup or restore refused or failed; the message lists every reason."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def _snapshot_functions(vendor: str):
    try:
        return SNAPSHOTS[vendor]
    except KeyError:
        raise BackupError(
            f"{vendor} databases are not supported (SQLite and PostgreSQL are)"
        ) from None


def backup_create(*, out: Path) -> Manifest:
    """Write a snapshot of the database and the media files, then the manifest, into `out`."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: back up into a new folder")
    if connection.in_atomic_block:
        # A snapshot is its own read transaction; inside another it would see uncommitted rows
        # (SQLite would wait forever for its own lock).
        raise BackupError("a backup cannot be taken inside a database transaction")
    filename, snapshot, _restore = _snapshot_functions(connection.vendor)
    out.mkdir(parents=True, exist_ok=True)
    try:
        tables, migrations = snapshot(out / filename)
    except database.DatabaseToolError as error:
        raise BackupError(str(error)) from error
    digest, size = sha256_of_file(out / filename)
    manifest = Manifest(
        created_at=timezone.now().isoformat(timespec="seconds"),
        vendor=connection.vendor,
        database=FileEntry(name=filename, bytes=size, sha256=digest),
        migrations=migrations,
        tables=tables,
        media=media_backup(storages["default"], out / MEDIA_FOLDER),
    )
    manifest.write(out)  # last: a folder without a manifest is not a backup
    return manifest


def _schema_problems(applied: list[str]) -> list[str]:
    """The snapshot's migrations must be exactly this code's: none missing, none unknown."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = {f"{app}.{name}" for app, name in loader.graph.leaf_nodes()}
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    installed = {config.label for config in apps.get_app_configs()}
    applied_set = set(applied)
    missing = sorted(leaves - applied_set)
    unknown = sorted(m for m in applied_set - known if m.split(".", 1)[0] in installed)
    problems = []
    if missing:
        problems.append(
            "the snapshot's schema is older than this code (it lacks "
            f"{', '.join(missing)}): restore it with the release that made it, then migrate"
        )
    if unknown:
        problems.append(
            "the snapshot's schema is newer than this code (it has "
            f"{', '.join(unknown)}): restore it with the release that made it"
        )
    return problems


def _read_manifest(source: Path) -> Manifest:
    if not (source / MANIFEST_NAME).is_file():
        raise BackupError(f"{source} holds no {MANIFEST_NAME}: it is not a complete backup")
    try:
        return Manifest.read(source)
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{source / MANIFEST_NAME} cannot be read: {error}") from error


def restore_problems(source: Path, manifest: Manifest) -> list[str]:
    """Every reason to refuse the restore; nothing is written while there is one."""
    problems = []
    if manifest.vendor != connection.vendor:
        problems.append(
            f"the snapshot is of a {manifest.vendor} database; the configured one is "
            f"{connection.vendor}"
        )
    snapshot_file = source / manifest.database.name
    if not snapshot_file.is_file():
        problems.append(f"the database snapshot {manifest.database.name} is missing")
    elif sha256_of_file(snapshot_file) != (manifest.database.sha256, manifest.database.bytes):
        problems.append(
            f"the database snapshot {manifest.database.name} does not match its checksum"
        )
    problems += media_problems(source / MEDIA_FOLDER, manifest.media)
    problems += _schema_problems(manifest.migrations)
    tables = database.table_names()
    if tables:
        problems.append(
            f"the database is not empty ({len(tables)} tables): restore into a new, empty one"
        )
    if not media_is_empty(storages["default"]):
        problems.append("the media storage is not empty: restore into an empty one")
    return problems


def backup_restore(*, source: Path) -> Manifest:
    """Restore `source` into the configured (empty) database and media storage, then verify."""
    manifest = _read_manifest(source)
    problems = restore_problems(source, manifest)
    if problems:
        raise BackupError(problems)
    _filename, _snapshot, restore = _snapshot_functions(manifest.vendor)
    try:
        restore(source / manifest.database.name)
    except database.DatabaseToolError as error:
        raise BackupError(str(error)) from error
    storage = storages["default"]
    media_restore(storage, source / MEDIA_FOLDER, manifest.media)
    found = database.current_counts(list(manifest.tables))
    mismatches = [
        f"table {table} has {found[table]} rows, the snapshot {count}"
        for table, count in manifest.tables.items()
        if found[table] != count
    ]
    mismatches += stored_problems(storage, manifest.media)
    if mismatches:
        raise BackupError(["restored, but it does not match the manifest:", *mismatches])
    # Nothing cached from the database that was there before may be shown again.
    data_generation.start_generation()
    page_cache.invalidate_pages()
    return manifest
