from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from unknot.audit import chain
from unknot.audit.models import AuditEvent
from unknot.exports.practice.load import Comparison, ImportRefused, Mismatch, import_practice
from unknot.exports.practice.progress import Progress


class Command(BaseCommand):
    help = (
        "Restores a practice export into an empty, migrated database, in one transaction, "
        "after checking every file against the manifest; then compares row counts and "
        "checksums computed from the database with the manifest (any difference: rolled "
        "back, exit code 1). See docs/export.md."
    )

    def _progress(self) -> Progress:
        """Rows done per table on stderr, at most once a second; --verbosity 0 silences it."""
        return Progress(self.stderr.write if self.verbosity > 0 else None)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by export_practice")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        using = options["database"]
        try:
            results = import_practice(options["folder"], using, self._progress())
        except ImportRefused as refusal:
            raise CommandError(f"Nothing was imported: {refusal}") from None
        except Mismatch as mismatch:
            self._table(mismatch.results)
            raise CommandError(str(mismatch)) from None
        self._table(results)
        rows = sum(result.rows_found for result in results)
        self.stdout.write(f"imported {rows} rows; every count and checksum matches")
        self._audit_chain(using)

    def _table(self, results: list[Comparison]) -> None:
        width = max(len(result.model) for result in results)
        self.stdout.write(f"{'table':<{width}}  {'manifest':>8}  {'database':>8}  checksum")
        for result in results:
            verdict = "same" if result.checksum_matches else "DIFFERENT"
            self.stdout.write(
                f"{result.model:<{width}}  {result.rows_expected:>8}  {result.rows_found:>8}  "
                f"{verdict}"
            )

    def _audit_chain(self, using: str) -> None:
        rows = AuditEvent.objects.using(using).order_by("id").values(*chain.FIELDS, "hash")
        verdict = chain.verify(rows.iterator(chunk_size=2000))
        state = "intact" if verdict.intact else f"broken at row id {verdict.broken_id}"
        self.stdout.write(f"audit chain: {verdict.count} rows, {state}")
