from typing import Any

from django.core.management.base import BaseCommand, CommandError

from unknot.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Walks the audit trail's hash chain in id order. Prints the number of rows and "
        "'chain intact', or names the first broken row and why (exit code 1)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify_chain()
        if not verdict.intact:
            raise CommandError(
                f"audit chain broken at row id {verdict.broken_id}: {verdict.problem} "
                f"({verdict.count - 1} rows before it are intact)"
            )
        self.stdout.write(f"{verdict.count} rows checked: chain intact")
        self.stdout.write(f"last hash: {verdict.head_hash}")
