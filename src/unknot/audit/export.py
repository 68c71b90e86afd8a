"""The report as CSV: the filtered rows, hashes included so the file can be checked offline."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from unknot.audit.models import AuditEvent

COLUMNS = (
    "id", "at", "actor_id", "actor_username", "actor_role", "action", "outcome", "reason",
    "object_type", "object_id", "patient_id", "clinic_id", "remote_addr", "path",
    "previous_hash", "hash",
)  # fmt: skip
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """csv.writer writes into this and we hand each line straight to the response."""

    def write(self, text: str) -> str:
        return text


def _cell(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for event in events:
        yield writer.writerow([_cell(getattr(event, name)) for name in COLUMNS])
