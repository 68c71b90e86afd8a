"""`manage.py outbox_sweep`: asks the worker again for due emails whose task was lost.

A worker killed while sending leaves its email queued with no task to send it; run this every
few minutes (a cron job or timer, docs/deploy.md). Sending stays at most once per row: the
worker locks the row and sends only what is still queued.
"""

from typing import Any

from django.core.management.base import BaseCommand

from unknot.outbox.tasks import sweep_outbox


class Command(BaseCommand):
    help = "Re-schedule due outbox emails whose worker task was lost."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sweep_outbox.call()
        self.stdout.write(f"{count} due email(s) handed to the worker again.")
