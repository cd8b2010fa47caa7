"""De-identified replica sessions as CSV with their data dictionary, written to a folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.cascade.exports import DICTIONARY_FILE, REPLICAS_FILE, replicas_export
from lms.models import Site


class Command(BaseCommand):
    help = "Write replicas.csv and replicas_diccionario.csv (de-identified, no photos) to --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="folder to write the two files to")
        parser.add_argument("--site", help="slug of one site (default: every site)")

    def handle(self, *args, out: str, site: str | None = None, **options):
        chosen = None
        if site:
            chosen = Site.objects.filter(slug=site).first()
            if chosen is None:
                raise CommandError(f"No site with the slug {site!r}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        export = replicas_export(actor=None, site=chosen, everything=True)
        (folder / REPLICAS_FILE).write_bytes(export.replicas)
        (folder / DICTIONARY_FILE).write_bytes(export.dictionary)
        self.stdout.write(f"{export.rows} replica sessions written to {folder / REPLICAS_FILE}")
