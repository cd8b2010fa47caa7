"""Load districts from a CSV file with the columns of the shipped one (ubigeo, distrito,
provincia, departamento): new ones are added, changed names updated, nothing deleted."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.cascade.districts import DISTRICTS_FILE, district_rows, districts_load
from courses.models import District
from lms.models import Site


class Command(BaseCommand):
    help = "Add or rename districts from an INEI ubigeo CSV file (default: the shipped one)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DISTRICTS_FILE))

    @transaction.atomic
    def handle(self, *args, file: str, **options):
        try:
            rows = district_rows(Path(file))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        changed = districts_load(District, Site, rows)
        self.stdout.write(
            f"{changed} districts added or changed; {District.objects.count()} in all."
        )
