"""Write an instrument back to its `cem-instrument/1` JSON file."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.instruments.files import instrument_export
from assessments.models import Instrument


class Command(BaseCommand):
    help = "Print an instrument (code and version) as a cem-instrument/1 JSON document."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("version")

    def handle(self, *args, code: str, version: str, **options):
        instrument = Instrument.objects.filter(code=code, version=version).first()
        if instrument is None:
            raise CommandError(f"No instrument {code} version {version}.")
        self.stdout.write(json.dumps(instrument_export(instrument), ensure_ascii=False, indent=2))
