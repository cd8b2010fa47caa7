"""Manage the organisation's credential signing keys: ``create``, ``rotate``, ``list``.

Private keys stay in the keyring (the ``CREDENTIALS_KEY_FILE`` file, or the environment variable
named by ``CREDENTIALS_KEY_ENV``); this command never prints one. With a keyring file it writes
new keys there; with an environment variable, put the new key in it first
(``openssl genpkey -algorithm ed25519``) and the command registers it.
"""

from django.core.management.base import BaseCommand, CommandError

from certificates.credentials.signing import (
    KeyManagementError,
    keyring,
    signing_key_create,
    signing_key_rotate,
    signing_keys,
    verification_method_id,
)


class Command(BaseCommand):
    help = "Create, rotate or list the Ed25519 keys that sign portable credentials."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "list"])
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="With create: do nothing when an active key exists already (for scripts).",
        )

    def handle(self, *args, action: str, if_missing: bool = False, **options):
        try:
            if action == "create" and if_missing and any(e.key.active for e in signing_keys()):
                self.stdout.write("An active signing key exists already; nothing to do.")
            elif action == "create":
                key = signing_key_create()
                self.stdout.write(
                    self.style.SUCCESS(f"Created signing key {verification_method_id(key.kid)}")
                )
            elif action == "rotate":
                old, new = signing_key_rotate()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"New signing key {verification_method_id(new.kid)}; "
                        f"{old.kid} is retired and stays published for earlier credentials."
                    )
                )
            else:
                self._list()
        except KeyManagementError as error:
            raise CommandError(str(error)) from None

    def _list(self) -> None:
        self.stdout.write(f"Keyring: {keyring().description}")
        listing = signing_keys()
        if not listing:
            self.stdout.write("No signing key yet: run `credentials_keys create`.")
        for entry in listing:
            key = entry.key
            state = "active" if key.active else f"retired {key.retired_at:%Y-%m-%d %H:%M}"
            private = "private key present" if entry.private_key_available else "no private key"
            self.stdout.write(
                f"{entry.verification_method}  created {key.created_at:%Y-%m-%d %H:%M}  "
                f"{state}  {private}"
            )
