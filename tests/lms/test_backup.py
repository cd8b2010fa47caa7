"""`backup` then `restore` into an empty database gives the same rows and files; a snapshot that
cannot be trusted, or a target that is not empty, is refused with nothing written.

The backup runs in the test process on the suite's database (SQLite on a developer's machine,
PostgreSQL in CI); each restore runs as an operator would, in a separate `manage.py` process
pointed at a new, empty database and media folder.
"""

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def media_checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class EmptyDatabase:
    """A new database of the suite's vendor, read with the driver rather than the project."""

    def __init__(self, tmp_path: Path):
        db = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"{db['NAME']}_restored"
            self.params = {
                "host": db["HOST"] or "127.0.0.1",
                "port": db["PORT"] or 5432,
                "user": db["USER"],
                "password": db["PASSWORD"],
            }
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{self.params['host']}:"
                f"{self.params['port']}/{self.name}"
            )

    def _admin(self, sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
            admin.execute(sql)

    def _cursor(self):
        if self.vendor == "sqlite":
            return contextlib.closing(sqlite3.connect(self.path).cursor())
        return psycopg.connect(dbname=self.name, **self.params).cursor()

    def counts(self) -> dict[str, int]:
        with self._cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            else:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = sorted(row[0] for row in cursor.fetchall())
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            return counts

    def drop(self) -> None:
        if self.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def empty_database(tmp_path):
    database = EmptyDatabase(tmp_path)
    yield database
    database.drop()


def restore(source: Path, database: EmptyDatabase, media: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=database.url,
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(source)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def suite_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def test_the_demo_restores_into_an_empty_database_with_equal_counts_and_files(
    settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("backup", out=tmp_path / "backup", stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    original = suite_counts()
    assert manifest["tables"] == original
    assert original["certificates_certificate"] > 0 and original["courses_attendancerecord"] > 0
    files = media_checksums(tmp_path / "media")
    assert any(name.startswith("certificados/") for name in files)
    assert {e["name"]: e["sha256"] for e in manifest["media"]} == files

    restored = restore(tmp_path / "backup", empty_database, tmp_path / "restored-media")

    assert restored.returncode == 0, restored.stderr
    assert "counts and checksums verified" in restored.stdout
    assert empty_database.counts() == original
    assert media_checksums(tmp_path / "restored-media") == files


def _backup(tmp_path: Path, settings) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "documents").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "acta.pdf").write_bytes(b"%PDF-1.4 acta")
    call_command("backup", out=tmp_path / "backup", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return tmp_path / "backup"


def refused(source: Path, database: EmptyDatabase, media: Path) -> str:
    result = restore(source, database, media)
    assert result.returncode != 0, result.stdout
    assert database.counts() == {}, "a refused restore wrote to the database"
    assert not media.exists() or not any(media.rglob("*")), "a refused restore wrote files"
    return result.stderr


def test_a_tampered_file_or_another_schema_is_refused_saving_nothing(
    settings, tmp_path, empty_database
):
    source = _backup(tmp_path, settings)
    media = tmp_path / "restored-media"

    (source / "media" / "documents" / "acta.pdf").write_bytes(b"%PDF-1.4 forged")
    assert "media file documents/acta.pdf does not match its checksum" in refused(
        source, empty_database, media
    )
    (source / "media" / "documents" / "acta.pdf").write_bytes(b"%PDF-1.4 acta")

    manifest = json.loads((source / "manifest.json").read_text())
    latest = max(m for m in manifest["migrations"] if m.startswith("lms."))
    manifest["migrations"].remove(latest)
    (source / "manifest.json").write_text(json.dumps(manifest))
    assert f"schema is older than this code (it lacks {latest})" in refused(
        source, empty_database, media
    )

    (source / "manifest.json").unlink()
    assert "holds no manifest.json" in refused(source, empty_database, media)


def test_a_database_that_is_not_empty_is_refused(settings, tmp_path):
    source = _backup(tmp_path, settings)
    before = suite_counts()
    with pytest.raises(Exception, match="the database is not empty"):
        call_command("restore", source)
    assert suite_counts() == before


def test_a_backup_never_writes_into_a_folder_that_holds_files(settings, tmp_path):
    source = _backup(tmp_path, settings)
    with pytest.raises(Exception, match="is not empty: back up into a new folder"):
        call_command("backup", out=source)
