"""The canonical text of a row, and the checksum of a table made from it.

A row is a JSON object of its columns (Django attnames: `clinic_id`, not `clinic`), with
sorted keys, no spaces, ASCII only. Values: times in UTC with microseconds
(`2026-03-02T14:00:00.000000+00:00`), dates and times of day in ISO 8601, durations as
Django writes them, decimals and UUIDs as text, bytes in base64, JSON columns as their JSON.
A table's checksum is the SHA-256 of its rows' canonical lines, each ending in a newline, in
primary-key order. The export files hold exactly these lines, so a file can be checked with
nothing but a JSON parser and SHA-256, and the database can be checked against the manifest
by computing the same lines from its rows.
"""

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models
from django.utils.duration import duration_string


def plain(value: Any) -> Any:
    """A column's Python value as JSON can hold it (JSON columns arrive already plain)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def line(row: dict[str, Any]) -> str:
    return json.dumps(
        row, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


# Rows are fetched this many at a time (a server-side cursor on PostgreSQL): however large the
# table, no more than one chunk of it is in memory.
CHUNK_ROWS = 2000


def every_row(model: type[models.Model], using: str) -> models.QuerySet[Any]:
    """A bare QuerySet: the audit table's own manager is for appending, and nothing here
    writes."""
    return models.QuerySet(model=model, using=using)


def rows_in_database(
    model: type[models.Model], using: str, chunk_rows: int = CHUNK_ROWS
) -> Iterator[dict[str, Any]]:
    """Every row of the table in primary-key order, as plain values, streamed."""
    names = columns(model)
    values = every_row(model, using).order_by("pk").values_list(*names)
    for found in values.iterator(chunk_size=chunk_rows):
        yield {name: plain(value) for name, value in zip(names, found, strict=True)}


class Tally:
    """Counts rows and hashes their lines as they go by."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, text: str) -> None:
        self.rows += 1
        self._hash.update(text.encode("ascii") + b"\n")

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def tally(rows: Iterable[dict[str, Any]]) -> Tally:
    counted = Tally()
    for row in rows:
        counted.add(line(row))
    return counted
