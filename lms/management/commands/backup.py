"""Back up the database and the media files into a new folder (see lms/backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database, every media file and a manifest with "
        "row counts and checksums into DIR (which must be new or empty)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, metavar="DIR")

    def handle(self, *args, out: Path, **options):
        try:
            manifest = backup_create(out=out)
        except BackupError as error:
            raise CommandError(f"Nothing was backed up:\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest.tables)} tables ({manifest.rows} rows, "
                f"{manifest.vendor}) and {len(manifest.media)} media files "
                f"({manifest.media_bytes / 1e6:.1f} MB) to {out}"
            )
        )
