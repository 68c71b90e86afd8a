"""Settings come from the environment and refuse to run in production without secrets."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from unknot.config.env import env_bool, env_int

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "kq3!vN8#zR2@pL6^wT9&mX4*bH7(cJ1)dF5_gY0+sE"[::-1] * 2,
    "ALLOWED_HOSTS": "clinic.example",
}


SCRUBBED = ("SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return subprocess.run(
        [sys.executable, "-m", "unknot.manage", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = run_manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_booleans_are_parsed_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG", False)
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True


def test_integers_are_parsed_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBER", "15m")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("NUMBER", 1)


def test_database_url_selects_the_database() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env={"DATABASE_URL": "postgres://someone@127.0.0.1:5432/somewhere"},
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_argon2_is_the_password_hasher() -> None:
    from django.conf import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


DEMO = {"DJANGO_DEBUG": "0", "UNKNOT_DEMO": "1"}
SHOW = (
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.MAILERS['default']['BACKEND'], getattr(s, 'SECURE_SSL_REDIRECT', False))"
)


def test_the_demo_runs_without_debug_and_prints_its_mail() -> None:
    result = run_manage("shell", "--no-imports", "-c", SHOW, env=DEMO)
    assert result.stdout.split() == [
        "False",
        "unknot.outbox.console.ReadableConsoleBackend",
        "False",  # plain HTTP on this machine
    ], result.stderr


def test_production_still_sends_mail_through_smtp() -> None:
    result = run_manage("shell", "--no-imports", "-c", SHOW, env=PRODUCTION)
    assert result.stdout.split() == [
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "True",
    ], result.stderr


def test_the_demo_refuses_to_serve_other_hosts() -> None:
    result = run_manage("check", env=DEMO | {"ALLOWED_HOSTS": "clinic.example"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be local" in result.stderr
