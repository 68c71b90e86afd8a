"""Practice export and import: the demo practice restores with identical counts and checksums.

Runs on the suite's database (SQLite or PostgreSQL); the restore goes into a second, empty,
migrated database (tests/exports/databases.py).
"""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import models

from tests.exports.databases import empty_database
from unknot.audit import chain
from unknot.audit.models import AuditEvent
from unknot.clinics.models import Practice
from unknot.demo.load import load_demo
from unknot.exports.practice import canonical, scope
from unknot.patients.models import Patient


@pytest.fixture
def exported(db: None, tmp_path: Path) -> Path:
    load_demo()
    folder = tmp_path / "export"
    call_command("export_practice", str(folder), stdout=io.StringIO())
    return folder


def import_into(folder: Path, alias: str) -> str:
    out = io.StringIO()
    call_command("import_practice", str(folder), database=alias, stdout=out)
    return out.getvalue()


def fingerprint(alias: str) -> dict[str, tuple[int, str]]:
    """Rows and SHA-256 of every exported table, computed straight from the database."""
    found = {}
    for model in scope.exported_models():
        counted = canonical.tally(canonical.rows_in_database(model, alias))
        found[model._meta.label_lower] = (counted.rows, counted.sha256)
    return found


def audit_verdict(alias: str) -> chain.Verdict:
    rows = AuditEvent.objects.using(alias).order_by("id").values(*chain.FIELDS, "hash")
    return chain.verify(rows.iterator())


def rows_in(alias: str) -> int:
    return sum(models.QuerySet(m, using=alias).count() for m in scope.exported_models())


def test_the_demo_practice_round_trips_with_identical_counts_and_checksums(
    exported: Path, tmp_path: Path
) -> None:
    manifest = json.loads((exported / "manifest.json").read_text())
    tables = {t["model"]: t for t in manifest["tables"]}
    assert tables["audit.auditevent"]["rows"] == AuditEvent.objects.count() > 0
    assert tables["records.visit"]["rows"] > 0 and tables["plans.exerciselog"]["rows"] > 0
    assert "sessions.session" not in tables
    source = fingerprint("default")
    assert {label: (t["rows"], t["sha256"]) for label, t in tables.items()} == source

    with empty_database(tmp_path) as restore:
        report = import_into(exported, restore)
        assert "every count and checksum matches" in report and "DIFFERENT" not in report
        assert fingerprint(restore) == source
        restored_chain = audit_verdict(restore)
        assert restored_chain.intact and restored_chain == audit_verdict("default")
        user = Patient.objects.using(restore).get(user__username="patient.alvarez").user
        original = Patient.objects.get(user__username="patient.alvarez").user
        assert user.password == original.password and user.check_password("unknot-demo-2026")
        # The sequences were moved past the loaded ids: a new row takes a new id.
        highest = Practice.objects.using(restore).order_by("-pk").first().pk
        assert Practice.objects.using(restore).create(name="New").pk > highest


def test_import_refuses_a_database_that_holds_data(exported: Path) -> None:
    before = fingerprint("default")
    with pytest.raises(CommandError, match="already holds practice data"):
        import_into(exported, "default")
    assert fingerprint("default") == before


def test_a_changed_file_is_refused_before_anything_is_written(
    exported: Path, tmp_path: Path
) -> None:
    path = exported / "patients.patient.json"
    path.write_text(path.read_text().replace("Alvarez", "Alvares"))
    with empty_database(tmp_path) as restore:
        seeded = rows_in(restore)  # a new database's default forms
        with pytest.raises(CommandError, match=r"patients\.patient\.json does not match"):
            import_into(exported, restore)
        assert rows_in(restore) == seeded


def _rewrite(folder: Path, model: str, change: Any) -> None:
    """Changes rows of one file and makes the manifest agree, as a careful forger would."""
    path = folder / f"{model}.json"
    rows = [change(row) for row in json.loads(path.read_text())]
    lines = [canonical.line(row) for row in rows]
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    for table in manifest["tables"]:
        if table["model"] == model:
            table["sha256"] = canonical.tally(rows).sha256
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_a_difference_after_loading_rolls_everything_back(exported: Path, tmp_path: Path) -> None:
    # The same instant written with another offset: the file and manifest agree, but the
    # database stores UTC, so the checksum computed after loading differs.
    def shifted(row: dict[str, Any]) -> dict[str, Any]:
        return row | {"created_at": row["created_at"].replace("+00:00", "+00:30")}

    _rewrite(exported, "patients.patient", shifted)
    out = io.StringIO()
    with empty_database(tmp_path) as restore:
        seeded = rows_in(restore)  # a new database's default forms, kept when nothing loads
        with pytest.raises(CommandError, match="differ from the manifest"):
            call_command("import_practice", str(exported), database=restore, stdout=out)
        assert rows_in(restore) == seeded
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert lines["patients.patient"].endswith("DIFFERENT")
    assert lines["clinics.clinic"].endswith("same")


def test_import_refuses_another_schema_version(exported: Path) -> None:
    manifest = json.loads((exported / "manifest.json").read_text())
    manifest["migrations"]["records"].append("0099_from_the_future")
    (exported / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"another schema version .*records"):
        import_into(exported, "default")


def test_export_refuses_a_used_folder_and_what_it_cannot_carry(db: None, tmp_path: Path) -> None:
    load_demo()
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_practice", str(tmp_path / "used"))
    Patient.objects.first().user.groups.add(Group.objects.create(name="front office"))
    with pytest.raises(CommandError, match="accounts_user_groups has rows"):
        call_command("export_practice", str(tmp_path / "new"))
    assert not (tmp_path / "new" / "manifest.json").exists()


def test_an_unfinished_export_is_refused(exported: Path) -> None:
    (exported / "manifest.json").unlink()
    with pytest.raises(CommandError, match="not a finished practice export"):
        import_into(exported, "default")
