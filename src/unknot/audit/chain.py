"""The hash chain, free of the database: how a row is hashed and how a chain is checked.

A row's hash is SHA-256 over the text  "<id>\n<previous hash>\n<body>",  where the body is
a canonical JSON of every other field (sorted keys, no spaces, ASCII only, times in UTC with
microseconds). Each hash so seals the row and, through the previous hash, everything before
it. The first row's previous hash is GENESIS. The database hashes the same text as it
appends (audit.services, migration 0003), so this module and that SQL must agree; the
tests check every stored row against digest() on both databases.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

GENESIS = "0" * 64
BODY_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "clinic_id",
    "remote_addr",
    "path",
    "outcome",
    "reason",
)
FIELDS = ("id", "previous_hash", *BODY_FIELDS)

HASH_MISMATCH = "hash mismatch: the row's contents do not match its hash"
PREVIOUS_MISMATCH = "previous-hash mismatch: the row does not follow the row before it"
GAP = "gap: the id does not follow the previous row's id (rows missing or inserted)"
ANCHOR_MISMATCH = (
    "checkpoint mismatch: the row a signed checkpoint vouched for is missing or changed"
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def body(row: Mapping[str, Any]) -> str:
    plain = {name: _plain(row[name]) for name in BODY_FIELDS}
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def digest(row: Mapping[str, Any]) -> str:
    sealed = f"{row['id']}\n{row['previous_hash']}\n{body(row)}"
    return hashlib.sha256(sealed.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    count: int  # rows checked (up to and including the first broken one)
    head_hash: str  # the last good hash: worth writing down somewhere else
    broken_id: int | None = None
    problem: str = ""
    head_id: int = 0  # the id of the last good row (0: none)

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def problem_with(row: Mapping[str, Any], previous_id: int, previous_hash: str) -> str:
    if row["id"] != previous_id + 1:
        return GAP
    if row["previous_hash"] != previous_hash:
        return PREVIOUS_MISMATCH
    if row["hash"] != digest(row):
        return HASH_MISMATCH
    return ""


def verify(
    rows: Iterable[Mapping[str, Any]], after_id: int = 0, after_hash: str = GENESIS
) -> Verdict:
    """Walks rows in id order; stops at the first one that breaks the chain.

    By default from the first row; given a row already proven (`after_id`, `after_hash`),
    the rows that follow it.
    """
    previous_id, previous_hash, count = after_id, after_hash, 0
    for row in rows:
        count += 1
        problem = problem_with(row, previous_id, previous_hash)
        if problem:
            return Verdict(count, previous_hash, row["id"], problem, previous_id)
        previous_id, previous_hash = row["id"], row["hash"]
    return Verdict(count, previous_hash, head_id=previous_id)


def verify_from_anchor(
    rows: Iterable[Mapping[str, Any]], anchor_id: int, anchor_hash: str
) -> Verdict:
    """Rows from a checkpoint's own row on: that row must still be there, sealed with the hash
    the checkpoint wrote down (so a tail cut off or rewritten up to it shows); then the rest."""
    walk = iter(rows)
    anchor = next(walk, None)
    if (
        anchor is None
        or anchor["id"] != anchor_id
        or anchor["hash"] != anchor_hash
        or digest(anchor) != anchor_hash
    ):
        return Verdict(1, anchor_hash, anchor_id, ANCHOR_MISMATCH)
    verdict = verify(walk, anchor_id, anchor_hash)
    return replace(verdict, count=verdict.count + 1)
