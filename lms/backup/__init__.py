"""Backups that restore: a consistent database snapshot, the media files and a manifest.

``backup_create`` writes into an empty folder:

- ``database.sqlite3`` (SQLite's online backup API) or ``database.pgdump`` (``pg_dump``
  custom format, taken from an exported snapshot so that the row counts match the dump);
- ``media/``: every file of the default storage, read through the storage API (so S3 works);
- ``manifest.json`` last, with the row count of every table, the applied migrations and the
  size and SHA-256 of every file. A folder without a manifest is not a backup.

``backup_restore`` checks everything before it writes anything: the manifest, every checksum,
the schema against this code's migrations, the database vendor, and that the database and
the media storage are empty. Then it restores and verifies the counts and checksums again.
"""

from lms.backup.services import BackupError, backup_create, backup_restore

__all__ = ["BackupError", "backup_create", "backup_restore"]
