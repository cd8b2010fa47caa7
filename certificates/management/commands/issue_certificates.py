"""Issue the certificates of a cohort from the command line (the same service as the button)."""

from django.core.management.base import BaseCommand, CommandError

from certificates.issuance.services import certificates_issue, cohort_close
from courses.models import Cohort


class Command(BaseCommand):
    help = "Issue certificates to every eligible activist of a cohort; --close closes it too."

    def add_arguments(self, parser):
        parser.add_argument("cohort_id", type=int)
        parser.add_argument("--close", action="store_true", help="Close the cohort as well.")

    def handle(self, *args, cohort_id: int, close: bool, **options):
        cohort = Cohort.objects.filter(pk=cohort_id).first()
        if cohort is None:
            raise CommandError(f"No cohort {cohort_id}.")
        service = cohort_close if close else certificates_issue
        issued = service(actor=None, cohort=cohort)
        self.stdout.write(self.style.SUCCESS(f"Issued {len(issued)} certificate(s)."))
