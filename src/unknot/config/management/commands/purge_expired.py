from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from unknot.config.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Removes rows past their use: expired sessions, stale sign-in and request counters, "
        "finished background tasks, and the text of emails sent long ago (their record is "
        "kept). In batches; recorded as one audit event. Never touches the audit trail or "
        "health records. See docs/retention.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=None, help="rows per batch")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        if batch is not None and batch < 1:
            raise CommandError("--batch must be a whole number of rows, at least 1.")
        counts = purge_expired(timezone.now(), batch, self._line)
        self.stdout.write(f"{sum(counts.values())} rows purged")

    def _line(self, label: str, count: int) -> None:
        self.stdout.write(f"{label}: {count}")
