"""Render every certificate whose PDF is missing (after a worker or Redis outage)."""

from django.core.management.base import BaseCommand

from certificates.documents.services import certificate_render, pending_certificates


class Command(BaseCommand):
    help = "Render the PDFs of issued certificates that have none yet, in this process."

    def handle(self, *args, **options):
        rendered = 0
        for certificate_id in pending_certificates().values_list("pk", flat=True):
            certificate_render(certificate_id=certificate_id)
            rendered += 1
        self.stdout.write(self.style.SUCCESS(f"Rendered {rendered} certificate(s)."))
