"""Apply the retention periods of the data-protection settings now, or say what that would do."""

from django.core.management.base import BaseCommand

from lms.datarights.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Delete (or aggregate) the questionnaire answers, audit entries, verification lookups "
        "and personal data downloads past the retention periods of the data-protection "
        "settings. Idempotent; the daily periodic job does the same."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go and change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        for outcome in retention_apply(dry_run=dry_run):
            label = str(outcome.rule.label)
            if outcome.count is None:
                line = f"{label}: kept (no retention period set)"
            elif dry_run:
                line = f"{label}: {outcome.count} would be removed"
            else:
                line = f"{label}: {outcome.count} removed"
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
