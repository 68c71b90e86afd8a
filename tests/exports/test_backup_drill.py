"""scripts/backup-drill itself, end to end, on PostgreSQL: export, new database, migrate,
import, verify. The demo practice is committed first so that the script's own processes
see it."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.exports.databases import _url
from unknot.demo.load import load_demo

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup-drill"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_the_backup_drill_restores_the_demo_practice(tmp_path: Path) -> None:
    load_demo()
    restore = f"{connection.settings_dict['NAME']}_drill"
    env = os.environ | {"DATABASE_URL": _url(connection.settings_dict), "RESTORE_DB": restore}
    done = subprocess.run(
        [str(SCRIPT), str(tmp_path / "backup")],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "every count and checksum matches" in done.stdout
    assert (
        "backup drill passed" in done.stdout
        and f"dropped the drill database {restore}" in done.stdout
    )
    assert (tmp_path / "backup" / "manifest.json").is_file()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [restore])
        assert cursor.fetchone()[0] == 0
