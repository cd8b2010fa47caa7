"""Signing keys: the private half only ever in the keyring (file or environment variable), the
public half registered and published for good, rotation that keeps old credentials verifying."""

import json
import logging
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from certificates.credentials.keys import generate_private_key, parse_keyring, private_pem
from certificates.credentials.models import SigningKey
from certificates.credentials.signing import (
    KeyManagementError,
    active_signing_key,
    issuer_did,
    signing_key_rotate,
)
from certificates.credentials.verification import signature_check


@pytest.fixture
def keyring_file(settings, tmp_path):
    settings.CREDENTIALS_KEY_FILE = str(tmp_path / "keys" / "signing-keys.pem")
    return tmp_path / "keys" / "signing-keys.pem"


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("credentials_keys", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_writes_the_private_key_to_an_owner_only_file_and_only_the_public_half_to_the_db(
    keyring_file,
):
    output = run("create")
    (key,) = SigningKey.objects.all()
    assert f"{issuer_did()}#{key.kid}" in output
    assert oct(stat.S_IMODE(os.stat(keyring_file).st_mode)) == "0o600"
    private_keys = parse_keyring(keyring_file.read_bytes())
    assert list(private_keys) == [key.kid]
    stored = json.dumps([list(row) for row in SigningKey.objects.values_list()], default=str)
    assert "PRIVATE" not in stored and private_pem(private_keys[key.kid]).decode() not in stored
    with pytest.raises(CommandError, match="rotate"):
        run("create")


@pytest.mark.django_db
def test_create_if_missing_makes_the_first_key_once_for_deploy_scripts(keyring_file):
    run("create", "--if-missing")
    first = SigningKey.objects.get()
    assert "nothing to do" in run("create", "--if-missing")
    assert list(SigningKey.objects.all()) == [first]


@pytest.mark.django_db
def test_rotate_retires_the_old_key_which_stays_published_and_listed(keyring_file, client):
    run("create")
    old = SigningKey.objects.get()
    output = run("rotate")
    new = SigningKey.objects.get(active=True)
    assert new.kid != old.kid and old.kid in output
    old.refresh_from_db()
    assert not old.active and old.retired_at is not None
    published = set(client.get("/.well-known/did.json").json()["assertionMethod"])
    assert published == {f"{issuer_did()}#{old.kid}", f"{issuer_did()}#{new.kid}"}
    assert {k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]} == published
    listing = run("list")
    assert (
        "active" in listing and "retired" in listing and listing.count("private key present") == 2
    )
    assert active_signing_key().row == new


def test_credentials_signed_before_a_rotation_still_verify(issued, keyring_file):
    portable = issued["portables"][0]
    signing_key_rotate()
    portable.refresh_from_db()
    assert portable.signing_key.active is False
    assert signature_check(portable).ok


@pytest.mark.django_db
def test_an_environment_keyring_is_read_but_never_written(settings, monkeypatch):
    settings.CREDENTIALS_KEY_FILE = ""
    monkeypatch.delenv(settings.CREDENTIALS_KEY_ENV, raising=False)
    with pytest.raises(CommandError, match="openssl genpkey"):
        run("create")
    key = generate_private_key()
    monkeypatch.setenv(settings.CREDENTIALS_KEY_ENV, private_pem(key).decode())
    run("create")
    assert active_signing_key().private_key.public_key() == key.public_key()
    with pytest.raises(KeyManagementError, match="add a new key"):
        signing_key_rotate()
    assert "environment variable CREDENTIALS_SIGNING_KEYS" in run("list")


@pytest.mark.django_db
def test_development_generates_a_key_on_first_use_with_a_warning(keyring_file, caplog):
    assert not keyring_file.exists()
    with caplog.at_level(logging.WARNING, logger="certificates.credentials.signing"):
        key = active_signing_key()
    assert "DEVELOPMENT key" in caplog.text
    assert keyring_file.exists() and key.row.kid in parse_keyring(keyring_file.read_bytes())


@pytest.mark.django_db
def test_without_a_configured_key_production_refuses_to_sign(keyring_file, settings):
    settings.CREDENTIALS_GENERATE_DEV_KEY = False
    with pytest.raises(ImproperlyConfigured, match="credentials_keys create"):
        active_signing_key()
    run("create")
    keyring_file.unlink()
    with pytest.raises(ImproperlyConfigured, match="not in the keyring"):
        active_signing_key()


def test_the_repository_ignores_the_development_keyring():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    assert ".credentials/" in (root / ".gitignore").read_text().splitlines()
