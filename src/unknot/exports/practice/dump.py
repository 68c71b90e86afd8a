"""Writes the whole practice to a folder: one JSON file per table and a manifest.

Each file is a JSON array whose elements are the table's canonical rows (see canonical.py),
one a line, in primary-key order, so the same database always gives the same bytes. The
manifest is written last: a folder without one is an export that did not finish.
"""

import json
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from unknot import audit
from unknot.audit.models import Action
from unknot.common.errors import Refused
from unknot.exports.practice import canonical, scope
from unknot.exports.practice.progress import SILENT, Progress

FORMAT = "unknot-practice-export"
VERSION = 1
MANIFEST = "manifest.json"


class ExportRefused(Refused):
    """The export cannot be made as asked; the message says why and what to do."""


def file_name(model: Any) -> str:
    return f"{model._meta.label_lower}.json"


def applied_migrations(using: str) -> dict[str, list[str]]:
    """The schema the rows belong to: applied migrations of the exported apps."""
    labels = set(scope.app_labels())
    applied: dict[str, list[str]] = {label: [] for label in sorted(labels)}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        if app in labels:
            applied[app].append(name)
    return {app: sorted(names) for app, names in applied.items()}


def _write_table(
    model: Any, folder: Path, using: str, chunk_rows: int, progress: Progress
) -> dict[str, Any]:
    """Row by row as they stream from the database: one chunk in memory, not the table."""
    counted = canonical.Tally()
    label = model._meta.label_lower
    total = canonical.every_row(model, using).count()
    with open(folder / file_name(model), "w", encoding="ascii", newline="\n") as out:
        out.write("[")
        for row in canonical.rows_in_database(model, using, chunk_rows):
            text = canonical.line(row)
            out.write(("\n" if counted.rows == 0 else ",\n") + text)
            counted.add(text)
            progress.rows(label, counted.rows, total)
        out.write("\n]\n" if counted.rows else "]\n")
    progress.rows(label, counted.rows, total, finished=True)
    return {
        "model": model._meta.label_lower,
        "file": file_name(model),
        "rows": counted.rows,
        "sha256": counted.sha256,
        "columns": canonical.columns(model),
    }


def _check_nothing_left_out(using: str) -> None:
    for link in scope.left_out_links():
        if link._default_manager.using(using).exists():
            raise ExportRefused(
                f"{link._meta.db_table} has rows (users in Django groups or with Django "
                "permissions), which this export does not carry: unknot gives access by staff "
                "role. Remove them in the admin site and export again."
            )


def _prepare(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise ExportRefused(f"{folder} is not empty: export into a new, empty folder.")
    folder.mkdir(parents=True, exist_ok=True)


def _snapshot(using: str, nested: bool) -> None:
    """On PostgreSQL every table is read from one snapshot, even while the site runs.

    Only a transaction of our own can be set so (a caller's may already have read).
    SQLite needs nothing: its transactions here take the write lock at BEGIN."""
    if connections[using].vendor == "postgresql" and not nested:
        with connections[using].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def export_practice(
    folder: Path,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress = SILENT,
    chunk_rows: int = canonical.CHUNK_ROWS,
) -> dict[str, Any]:
    """Writes the folder and returns the manifest. The export is itself in the audit trail
    (recorded first, so the export contains its own record). Memory stays flat: rows are
    streamed `chunk_rows` at a time and written as they come."""
    _prepare(folder)
    _check_nothing_left_out(using)
    if using == DEFAULT_DB_ALIAS:  # the audit trail writes to the default database
        audit.record(Action.EXPORT, object_type="practice", reason="backup")
    connection = connections[using]
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        _snapshot(using, nested)
        tables = [
            _write_table(model, folder, using, chunk_rows, progress)
            for model in scope.exported_models()
        ]
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": applied_migrations(using),
            "tables": tables,
        }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return manifest
