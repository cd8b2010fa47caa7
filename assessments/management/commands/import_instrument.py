"""Load an instrument from a `cem-instrument/1` JSON file (see README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.instruments.files import InstrumentFileError, instrument_import


class Command(BaseCommand):
    help = "Import an instrument file. A bad file imports nothing and lists every problem."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            instrument = instrument_import(file.read_bytes())
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except InstrumentFileError as error:
            raise CommandError(f"{file} was not imported:\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {instrument.code} v{instrument.version}: "
                f"{instrument.items.count()} items, {instrument.subscales.count()} subscales."
            )
        )
