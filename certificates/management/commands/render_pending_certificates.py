"""Render every certificate without a current PDF (after a worker, Redis or disk outage)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from certificates.documents.recovery import certificates_recover


class Command(BaseCommand):
    help = (
        "Render the PDFs of certificates that have none, lack their revocation stamp or whose "
        "file went missing; tell their holders once; remove unfinished renders. In this process."
    )

    def handle(self, *args, **options):
        recovery = certificates_recover(check_files=True, grace=timedelta())
        self.stdout.write(
            self.style.SUCCESS(
                f"Rendered {recovery.rendered} certificate(s) ({recovery.missing_files} with a "
                f"missing file); told {recovery.notified} holder(s); removed "
                f"{recovery.removed_temporary} unfinished render(s)."
            )
        )
