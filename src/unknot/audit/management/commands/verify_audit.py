from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unknot.audit import checkpoints
from unknot.audit.models import AuditCheckpoint
from unknot.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Walks the audit trail's hash chain in id order, from the newest checkpoint whose "
        "signature holds (or from the first row with --full), then signs a new checkpoint. "
        "Prints the rows checked and 'chain intact', or names the first broken row and why "
        "(exit code 1). A forged or changed checkpoint is named and passed over."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="verify every row, ignoring checkpoints"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = None if options["full"] else self._start()
        verdict = verify_chain(since=start)
        if not verdict.intact:
            raise CommandError(
                f"audit chain broken at row id {verdict.broken_id}: {verdict.problem} "
                f"({verdict.count - 1} rows before it are intact)"
            )
        self.stdout.write(f"{verdict.count} rows checked: chain intact")
        self.stdout.write(f"last row: {verdict.head_id}, last hash: {verdict.head_hash}")
        if verdict.head_id and (start is None or verdict.head_id != start.last_event_id):
            made = checkpoints.write(verdict.head_id, verdict.head_hash)
            self.stdout.write(f"signed checkpoint #{made.pk} at row {made.last_event_id}")

    def _start(self) -> AuditCheckpoint | None:
        found = checkpoints.newest_valid()
        for refused in found.refused:
            self.stderr.write(
                f"checkpoint #{refused.pk} (row {refused.last_event_id}) REFUSED: its signature "
                "does not match (forged, changed, or signed with a key no longer configured)"
            )
        if found.checkpoint is None:
            self.stdout.write("no valid checkpoint: verifying from the first row")
        else:
            self.stdout.write(
                f"from checkpoint #{found.checkpoint.pk} (row {found.checkpoint.last_event_id}, "
                f"signed {found.checkpoint.made_at:%Y-%m-%d %H:%M:%S} UTC)"
            )
        return found.checkpoint
