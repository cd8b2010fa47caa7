"""Restore a backup folder into an empty database and media storage (see lms/backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore DIR (written by `backup`) into the configured database and media storage, "
        "which must be empty, and verify its row counts and checksums. Refuses, changing "
        "nothing, a snapshot that does not match its manifest or this code's schema."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, metavar="DIR")

    def handle(self, *args, source: Path, **options):
        try:
            manifest = backup_restore(source=source)
        except BackupError as error:
            raise CommandError(f"Restore of {source} refused or failed:\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(manifest.tables)} tables ({manifest.rows} rows) and "
                f"{len(manifest.media)} media files from {source} (taken {manifest.created_at});"
                " counts and checksums verified."
            )
        )
