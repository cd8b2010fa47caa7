"""Load an instrument from a `cem-instrument/1` JSON file (see README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.instruments.checks import MAX_FILE_BYTES
from assessments.instruments.files import InstrumentFileError, instrument_import


class Command(BaseCommand):
    help = "Import an instrument file. A bad file imports nothing and lists every problem."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{file} was not imported: larger than {MAX_FILE_BYTES} bytes")
            instrument = instrument_import(file.read_bytes())
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except InstrumentFileError as error:
            raise CommandError(f"{file} was not imported:\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {instrument.code} v{instrument.version}: "
                f"{instrument.items.count()} items, {instrument.subscales.count()} subscales."
            )
        )
