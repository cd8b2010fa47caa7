"""Write the exports of a validation round to a folder: the report (PDF), the figures, the
de-identified feedback and its data dictionary (CSV). Every file is audit-logged."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.validation.exports import EXPORTS, validation_export
from courses.validation.models import ValidationRound


class Command(BaseCommand):
    help = (
        "Export a validation round: informe de validación (PDF), figures, de-identified "
        "feedback and its data dictionary (CSV), every site. Audit-logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int, help="Number of the validation round.")
        parser.add_argument("--out", required=True, help="Folder to write the files to.")

    def handle(self, *args, round_id: int, out: str, **options):
        round_ = (
            ValidationRound.objects.select_related("course", "course_revision")
            .filter(pk=round_id)
            .first()
        )
        if round_ is None:
            raise CommandError(f"No validation round {round_id}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for kind in EXPORTS:
            export = validation_export(actor=None, round=round_, kind=kind)
            path = folder / export.filename
            path.write_bytes(export.content)
            self.stdout.write(f"{path} ({export.rows} rows)")
