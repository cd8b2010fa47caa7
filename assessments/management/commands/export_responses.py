"""Write the de-identified responses of one instrument (CSV, SPSS or Stata) and their data
dictionary to a folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.analytics.exports import RESPONSE_WRITERS, export_create
from assessments.models import Instrument, Response
from lms.models import Site


class Command(BaseCommand):
    help = (
        "Export submitted responses of an instrument (one row per participant per wave, "
        "de-identified) as CSV, SPSS (.sav) or Stata (.dta), and the data dictionary as "
        "UTF-8 CSV. Audit-logged."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The brief's interface uses --version for the instrument version; let it replace
        # Django's own --version (which prints the Django version).
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--instrument", required=True, help="Instrument code.")
        parser.add_argument("--version", dest="instrument_version", help="Default: the newest.")
        parser.add_argument("--site", help="Only this site (slug). Default: every site.")
        parser.add_argument("--out", required=True, help="Folder to write the two files to.")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=sorted(RESPONSE_WRITERS),
            default="csv",
            help="Format of the responses file (the dictionary is always CSV). Default: csv.",
        )

    def handle(self, *args, instrument: str, instrument_version, site, out, file_format, **options):
        instruments = Instrument.objects.filter(code=instrument).order_by("-imported_at", "-pk")
        if instrument_version:
            instruments = instruments.filter(version=instrument_version)
        chosen = instruments.first()
        if chosen is None:
            raise CommandError(
                f"No instrument {instrument}"
                + (f" version {instrument_version}." if instrument_version else ".")
            )
        site_obj = None
        if site:
            site_obj = Site.objects.filter(slug=site).first()
            if site_obj is None:
                raise CommandError(f"No site {site}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)

        responses = Response.objects.analysable().filter(instrument=chosen)
        if site_obj is not None:
            responses = responses.filter(site=site_obj)
        filters = {
            "instrument": chosen.scoring_key_version,
            "site": site_obj.pk if site_obj else None,
            "via": "manage.py export_responses",
        }
        for kind in ("responses", "dictionary"):
            export = export_create(
                actor=None,
                instrument=chosen,
                kind=kind,
                responses=responses,
                filters=filters,
                site_id=site_obj.pk if site_obj else None,
                file_format=file_format,
            )
            path = folder / export.filename
            path.write_bytes(export.content)
            self.stdout.write(f"{path} ({export.rows} rows)")
