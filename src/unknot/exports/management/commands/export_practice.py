from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from unknot.exports.practice.dump import ExportRefused, export_practice
from unknot.exports.practice.progress import Progress


class Command(BaseCommand):
    help = (
        "Writes the whole practice (every table of unknot, audit trail and users included) to "
        "a new folder: one JSON file per table and manifest.json with row counts and SHA-256 "
        "checksums. See docs/export.md."
    )

    def _progress(self) -> Progress:
        """Rows done per table on stderr, at most once a second; --verbosity 0 silences it."""
        return Progress(self.stderr.write if self.verbosity > 0 else None)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new or empty folder")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        folder: Path = options["folder"]
        try:
            manifest = export_practice(folder, options["database"], self._progress())
        except ExportRefused as refusal:
            raise CommandError(str(refusal)) from None
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(f"{len(manifest['tables'])} tables, {rows} rows written to {folder}")
