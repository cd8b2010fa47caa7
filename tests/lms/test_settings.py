import os
import subprocess
import sys

from tests.helpers import ROOT


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "CREDENTIALS_KEY_FILE",
            "CREDENTIALS_SIGNING_KEYS",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="lms.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x" * 64 + "production-secret-for-the-check-only",
        ALLOWED_HOSTS="formacion.example.org",
        CREDENTIALS_KEY_FILE=str(tmp_path / "signing-keys.pem"),
    )
    assert result.returncode != 0
    assert "DATABASE_URL is required in production" in result.stderr
    chosen = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x" * 64 + "production-secret-for-the-check-only",
        ALLOWED_HOSTS="formacion.example.org",
        CREDENTIALS_KEY_FILE=str(tmp_path / "signing-keys.pem"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert chosen.returncode == 0, chosen.stderr


def test_production_refuses_to_start_without_credential_signing_keys():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x" * 64 + "production-secret-for-the-check-only",
        ALLOWED_HOSTS="formacion.example.org",
        DATABASE_URL="sqlite:///unused.sqlite3",
    )
    assert result.returncode != 0
    assert "CREDENTIALS_KEY_FILE" in result.stderr


def test_production_passes_the_deploy_checklist(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x" * 64 + "production-secret-for-the-check-only",
        ALLOWED_HOSTS="formacion.example.org",
        CREDENTIALS_KEY_FILE=str(tmp_path / "signing-keys.pem"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr + result.stdout
