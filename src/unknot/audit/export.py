"""The report as CSV: the filtered rows, hashes included so the file can be checked offline."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from unknot.audit.models import AuditEvent
from unknot.common.spreadsheets import formula_safe

COLUMNS = (
    "id", "at", "actor_id", "actor_username", "actor_role", "action", "outcome", "reason",
    "object_type", "object_id", "patient_id", "clinic_id", "remote_addr", "path",
    "previous_hash", "hash",
)  # fmt: skip


class _Line:
    """csv.writer writes into this and we hand each line straight to the response."""

    def write(self, text: str) -> str:
        return text


def _cell(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return formula_safe(value)


def lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for event in events:
        yield writer.writerow([_cell(getattr(event, name)) for name in COLUMNS])
