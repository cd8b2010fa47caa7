"""Print where the demo is served and who can log in."""

from django.core.management.base import BaseCommand

from lms.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo URL and logins."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port: str, **options):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Formación CEM: http://127.0.0.1:{port}/"))
        self.stdout.write(f"  English: http://127.0.0.1:{port}/en/   Admin: /admin/")
        self.stdout.write(f"  Demo logins (password {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"    {username:<24} {description}")
        self.stdout.write("")
