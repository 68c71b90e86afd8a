"""A second, empty, migrated database beside the test database, for restores.

The test database cannot be emptied for a restore: it holds the practice being exported,
and on PostgreSQL the audit table refuses DELETE. So a restore goes into a new database on
the same server (PostgreSQL: `<test database>_restore`, made with psycopg outside any
transaction) or a new SQLite file. It is migrated by `manage migrate` in a process of its
own with DATABASE_URL pointing at it, exactly as scripts/backup-drill does (a data migration
that reads through the default manager would otherwise read the test database). The test
reaches it through a connection made for the length of the test, registered under an alias but
not in the settings: Django's test case then treats it as made on purpose by the test rather
than as a configured database the test forgot to declare. Afterwards it is closed and the
database dropped. These are the steps of scripts/backup-drill, in Python.
"""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.utils import load_backend

ALIAS = "restore"


def _server_call(statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as server:
        server.execute(sql.SQL(statement).format(sql.Identifier(name)))


def _url(found: dict[str, Any]) -> str:
    if found["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{found['NAME']}"
    password = f":{found['PASSWORD']}" if found.get("PASSWORD") else ""
    where = f"{found.get('HOST') or '127.0.0.1'}:{found.get('PORT') or 5432}"
    return f"postgres://{found.get('USER') or ''}{password}@{where}/{found['NAME']}"


def migrate(found: dict[str, Any]) -> None:
    env = os.environ | {"DATABASE_URL": _url(found)}
    command = [sys.executable, "-m", "unknot.manage", "migrate", "--noinput", "-v", "0"]
    subprocess.run(command, env=env, check=True, timeout=300)


def _settings(name: str) -> dict[str, Any]:
    found = dict(connections.databases["default"])
    found["NAME"] = name
    found["TEST"] = {**found.get("TEST", {}), "NAME": name}
    return found


@contextlib.contextmanager
def empty_database(folder: Path) -> Iterator[str]:
    """Yields the alias of a new database with every migration applied and no data."""
    default = connections["default"]
    postgres = default.vendor == "postgresql"
    name = f"{default.settings_dict['NAME']}_restore" if postgres else str(folder / "restore.db")
    if postgres:
        _server_call("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
        _server_call("CREATE DATABASE {}", name)
    found = _settings(name)
    connections[ALIAS] = load_backend(found["ENGINE"]).DatabaseWrapper(found, ALIAS)
    try:
        migrate(found)
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        if postgres:
            _server_call("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
