"""Loads a practice export into an empty, migrated database, and proves it arrived whole.

In order, stopping at the first problem with a message and nothing written:
1. the manifest is ours, of a version we read, for the same schema (applied migrations) and
   the same columns as this code;
2. every file is there and matches the manifest's row count and SHA-256;
3. the database holds no practice data yet (a restore never merges);
4. in ONE transaction: every table is inserted with its primary keys, in an order where each
   row's foreign keys already exist; PostgreSQL sequences are moved past the loaded ids; then
   counts and checksums are computed again from the database and compared with the manifest.
   Any difference rolls the whole load back.

Rows are inserted verbatim, as `loaddata` does (`raw`): no save(), no signals, and no
"auto_now" stamping, so times are kept. Audit rows are inserted as they were, hash chain
and all; inserting is all the audit table allows, and all a restore needs.
"""

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, transaction

from unknot.common.errors import Refused
from unknot.exports.practice import canonical, dump, scope
from unknot.exports.practice.progress import SILENT, Progress
from unknot.paperwork import defaults as paperwork_defaults


class ImportRefused(Refused):
    """The import cannot go ahead; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Comparison:
    model: str
    rows_expected: int
    rows_found: int
    checksum_matches: bool

    @property
    def same(self) -> bool:
        return self.rows_expected == self.rows_found and self.checksum_matches


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / dump.MANIFEST
    if not path.is_file():
        raise ImportRefused(f"{path} is missing: this is not a finished practice export.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(f"{path} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != dump.FORMAT:
        raise ImportRefused(f"{path} is not the manifest of an unknot practice export.")
    if manifest.get("version") != dump.VERSION:
        raise ImportRefused(
            f"The export is format version {manifest.get('version')}; this unknot reads "
            f"version {dump.VERSION}."
        )
    return manifest


def check_schema(manifest: dict[str, Any], using: str) -> None:
    """Same migrations, same tables in the same order, same columns: or a clear refusal."""
    here = dump.applied_migrations(using)
    if manifest.get("migrations") != here:
        differing = sorted(
            app
            for app in set(here) | set(manifest.get("migrations") or {})
            if here.get(app) != (manifest.get("migrations") or {}).get(app)
        )
        raise ImportRefused(
            "The export was made at another schema version (migrations differ for: "
            f"{', '.join(differing)}). Run the same version of unknot, migrated the same way."
        )
    expected = [(m._meta.label_lower, canonical.columns(m)) for m in scope.exported_models()]
    listed = [(t.get("model"), t.get("columns")) for t in manifest.get("tables", [])]
    if listed != expected:
        raise ImportRefused("The export's tables or columns differ from this version's.")


def _file_path(folder: Path, table: dict[str, Any]) -> Path:
    if table["file"] != f"{table['model']}.json":
        raise ImportRefused(f"Unexpected file name in the manifest: {table['file']!r}.")
    path = folder / table["file"]
    if not path.is_file():
        raise ImportRefused(f"{path} is missing.")
    return path


def _row(path: Path, number: int, text: str) -> dict[str, Any]:
    try:
        row = json.loads(text)
    except ValueError as error:
        raise ImportRefused(f"{path}, line {number}: not valid JSON: {error}") from None
    if not isinstance(row, dict):
        raise ImportRefused(f"{path}, line {number}: a row must be a JSON object.")
    return row


def _file_rows(folder: Path, table: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of one file, one line at a time (never the whole file in memory).

    The layout is the export's own: "[", then one row a line, each but the last followed by
    ",", then "]". Anything else is refused with the line it went wrong on.
    """
    path = _file_path(folder, table)
    layout = f"{path} is not laid out as an export writes it (one row a line, in [ and ])"
    try:
        with open(path, encoding="ascii", newline="\n") as lines:
            first = lines.readline().rstrip("\n")
            if first == "[]":
                if lines.read().strip():
                    raise ImportRefused(layout)
                return
            if first != "[":
                raise ImportRefused(layout)
            number, ended = 1, False
            for number, line in enumerate(lines, start=2):
                text = line.rstrip("\n")
                if ended:
                    if text.strip():
                        raise ImportRefused(f"{layout}: line {number} follows the closing ].")
                    continue
                if text == "]":
                    ended = True
                    continue
                yield _row(path, number, text.removesuffix(","))
            if not ended:
                raise ImportRefused(f"{layout}: the closing ] is missing.")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{path} is not valid JSON: {error}") from None


def verify_files(folder: Path, manifest: dict[str, Any], progress: Progress = SILENT) -> None:
    """Every table's file against the manifest's count and checksum, streamed, before a
    single row is written."""
    for table in manifest["tables"]:
        counted = canonical.Tally()
        for row in _file_rows(folder, table):
            counted.add(canonical.line(row))
            progress.rows(f"checking {table['model']}", counted.rows, table["rows"])
        progress.rows(f"checking {table['model']}", counted.rows, table["rows"], finished=True)
        if counted.rows != table["rows"] or counted.sha256 != table["sha256"]:
            raise ImportRefused(
                f"{table['file']} does not match the manifest ({counted.rows} rows, checksum "
                f"{counted.sha256[:12]}..., expected {table['rows']} rows, "
                f"{table['sha256'][:12]}...): the export is damaged or was changed."
            )


def check_empty(using: str) -> None:
    full = [
        m._meta.db_table
        for m in scope.exported_models()
        if models.QuerySet(model=m, using=using).exists()
    ]
    if full:
        raise ImportRefused(
            f"The database already holds practice data ({', '.join(full[:5])}"
            f"{', ...' if len(full) > 5 else ''}). Import into a new, migrated, empty database."
        )


def _value(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def _written(model: type[models.Model]) -> list[models.Field]:
    """The columns a load writes: not those the database computes from the row (a generated
    column, such as a charge's `owing`; it is exported, and computed again the same)."""
    return [field for field in model._meta.concrete_fields if not field.generated]


def _objects(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> Iterator[models.Model]:
    fields = _written(model)
    for row in rows:
        yield model(**{f.attname: _value(f, row[f.attname]) for f in fields})


# Rows inserted per statement, at most (SQLite may allow fewer: its limit on parameters).
INSERT_BATCH = 1000


def _insert(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    using: str,
    total: int,
    progress: Progress,
) -> None:
    """Inserts in batches the database accepts, verbatim (raw: no pre_save stamping), as the
    rows are read: one batch in memory at a time."""
    fields = _written(model)
    size = max(1, connections[using].ops.bulk_batch_size(fields, [None] * INSERT_BATCH))
    writer: models.QuerySet[Any] = models.QuerySet(model=model, using=using)  # no manager
    label, done = model._meta.label_lower, 0
    objects = _objects(model, rows)
    while batch := list(itertools.islice(objects, size)):  # a restore only inserts
        # QuerySet._insert is Django's raw insert (as loaddata's), private: not in the stubs.
        writer._insert(batch, fields=fields, using=using, raw=True)  # type: ignore[attr-defined]
        done += len(batch)
        progress.rows(f"loading {label}", done, total)
    progress.rows(f"loading {label}", done, total, finished=True)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), scope.exported_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def compare(manifest: dict[str, Any], using: str) -> list[Comparison]:
    """The manifest's counts and checksums against the same computed from the database."""
    by_label = {m._meta.label_lower: m for m in scope.exported_models()}
    results = []
    for table in manifest["tables"]:
        counted = canonical.tally(canonical.rows_in_database(by_label[table["model"]], using))
        results.append(
            Comparison(
                table["model"], table["rows"], counted.rows, counted.sha256 == table["sha256"]
            )
        )
    return results


class Mismatch(Exception):
    """The loaded data differ from the manifest; the load was rolled back."""

    def __init__(self, results: list[Comparison]) -> None:
        super().__init__("The loaded data differ from the manifest; nothing was kept.")
        self.results = results


def import_practice(folder: Path, using: str, progress: Progress = SILENT) -> list[Comparison]:
    """Loads the export into `using`; returns the comparison (all equal) or raises.

    Each file is read twice, line by line: once to check it against the manifest, once to
    load it. Memory stays flat however large the export."""
    manifest = read_manifest(folder)
    check_schema(manifest, using)
    verify_files(folder, manifest, progress)
    tables = {table["model"]: table for table in manifest["tables"]}
    with transaction.atomic(using=using):
        # The forms a new database is seeded with make way for the practice's own.
        paperwork_defaults.remove_untouched_defaults(using)
        check_empty(using)  # inside: nobody can write between the check and the load
        for model in scope.exported_models():
            table = tables[model._meta.label_lower]
            _insert(model, _file_rows(folder, table), using, table["rows"], progress)
        _reset_sequences(using)
        results = compare(manifest, using)
        if not all(result.same for result in results):
            raise Mismatch(results)
    return results
