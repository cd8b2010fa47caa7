"""Database snapshots and their restoration: SQLite's online backup API, PostgreSQL's pg_dump.

Each snapshot function returns the row count of every table and the applied migrations as
seen by the snapshot itself, so the manifest describes exactly what was saved."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, transaction

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


class DatabaseToolError(RuntimeError):
    pass


def table_names() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def table_counts(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations")
    return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


# -- SQLite ---------------------------------------------------------------------------------


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_snapshot(target: Path) -> tuple[dict[str, int], list[str]]:
    """Copy the live database with the online backup API (one step: a consistent snapshot
    even while other processes write), then count what the copy holds."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        return table_counts(cursor, tables, _quote_sqlite), _migrations(cursor, tables)


def sqlite_restore(source: Path) -> None:
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as snapshot:
        snapshot.backup(connection.connection)


# -- PostgreSQL -----------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseToolError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(Debian's postgresql-client) of the server's major version or newer"
        )
    return path


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database: no password on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise DatabaseToolError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def postgres_snapshot(target: Path) -> tuple[dict[str, int], list[str]]:
    """pg_dump (custom format) of a snapshot exported by a read-only transaction, in which the
    rows are counted too: the counts describe the dump exactly, whatever is written meanwhile."""
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        tables = sorted(connection.introspection.table_names(cursor))
        counts = table_counts(cursor, tables, connection.ops.quote_name)
        migrations = _migrations(cursor, tables)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                f"--file={target}",
            ]
        )
    return counts, migrations


def postgres_restore(source: Path) -> None:
    """All or nothing: pg_restore in one transaction, stopping at the first error."""
    _run(
        [
            _pg_tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )


def current_counts(tables: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        return table_counts(cursor, tables, connection.ops.quote_name)
