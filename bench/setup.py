"""Creates the bench database from nothing: schema (ours and the peer's) and shared fixtures."""

import importlib
import os
from pathlib import Path

import psycopg
from psycopg import sql


def recreate_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def peer_migrations_package() -> None:
    """An empty package for the peer's generated migrations, fresh every run.

    Made before Django starts: the import system caches a missing sys.path folder as empty.
    """
    package = Path(os.environ["UNKNOT_BENCH_DIR"]) / "bench_peer_migrations"
    if package.exists():
        for old in package.glob("*.py"):
            old.unlink()
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    importlib.invalidate_caches()


def migrate() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "appointment", verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)


def start_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
