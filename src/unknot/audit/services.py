"""Writing to the audit trail. Code calls record(); the access checks (get_patient_for and the
like) call access().

Each call appends one row under the chain lock, inside the caller's transaction when there
is one (so the record and the work it describes commit or roll back together), else in a
transaction of its own; within `reads_join_the_write`, a read waits to be appended with the
write that follows it. Only ids and short codes go in: the inputs are checked so that free
text cannot slip into the trail.
"""

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser
from unknot.audit import chain, context
from unknot.audit.models import Action, AuditCheckpoint, AuditEvent, Outcome

# Any constant will do; it only has to be the same for every writer of the chain.
CHAIN_LOCK_KEY = 0x756E6B6E6F74  # "unknot"
CODE = re.compile(r"[a-z0-9_]{0,40}")
OBJECT_ID = re.compile(r"[A-Za-z0-9_.:-]{0,64}")


class AccountRef:
    """An account as the audit sees it when only its id is known (the account a failed
    sign-in named): no role, no name, its id, nothing more."""

    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


def record(
    action: str,
    *,
    by: AnyUser | AccountRef | None = None,
    outcome: str = Outcome.ALLOWED,
    object_type: str = "",
    object_id: Any = "",
    patient_id: int | None = None,
    clinic_id: int | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent | None:
    """Appends one event; None when this request already recorded the very same event, or
    when the event waits for a write to be appended with it (`reads_join_the_write`).

    `by` defaults to the request's user; `request` (for signal handlers that get one)
    overrides where the request came from.
    """
    where = context.from_request(request) if request is not None else context.current()
    user = by if by is not None else (where.user if where else None)
    key = (str(action), object_type, str(object_id), str(outcome), reason)
    if where is not None and key in where.recorded:
        return None
    row = _checked(
        {
            "at": timezone.now(),
            **actor_fields(user),
            "action": str(action),
            "object_type": object_type,
            "object_id": "" if object_id is None else str(object_id),
            "patient_id": patient_id,
            "clinic_id": clinic_id,
            "remote_addr": where.remote_addr if where else "",
            "path": where.path if where else "",
            "outcome": str(outcome),
            "reason": reason,
        }
    )
    waiting = _waiting.get()
    event: AuditEvent | None
    if waiting is None:
        event = _append([row])[-1]
    elif row["action"] == Action.READ:  # waits for the write it leads to
        waiting.append(_Waiting(row))
        event = None
    else:
        event = _append_with_waiting(waiting, row)
    if where is not None:
        where.recorded.add(key)
    return event


@dataclass
class _Waiting:
    """A read, waiting to be appended with the next write (`reads_join_the_write`)."""

    row: dict[str, Any]
    carried: bool = False  # appended in a transaction that has not committed (yet)
    committed: bool = False


_waiting: ContextVar[list[_Waiting] | None] = ContextVar("unknot_audit_waiting", default=None)


@contextmanager
def reads_join_the_write() -> Iterator[None]:
    """Within the block, a read waits for the next row recorded that is not a read (the
    write the read led to) and is appended with it, in one call and in the write's
    transaction: one round trip for both.

    Reads that no write carried, or whose write rolled back, are appended alone when the
    block ends: a refused or failed write still leaves its read in the trail. For a view
    that reads a record in order to write (the booking API), not for pages that show what
    they read, whose reads must be in the trail before the page leaves.
    """
    waiting: list[_Waiting] = []
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
        still_open = connection.in_atomic_block  # a carried read may yet commit with it
        left = [w.row for w in waiting if not w.committed and not (w.carried and still_open)]
        if left:
            _append(left)


def _append_with_waiting(waiting: list[_Waiting], row: dict[str, Any]) -> AuditEvent:
    """`row` appended after the rows waiting for a write, in one call; those count as done
    only once the transaction commits (`reads_join_the_write` appends them again if not)."""
    riders = [w for w in waiting if not w.carried and not w.committed]
    event = _append([*(w.row for w in riders), row])[-1]
    for rider in riders:
        rider.carried = True

    def committed() -> None:
        for rider in riders:
            rider.committed = True

    transaction.on_commit(committed)
    return event


def access(user: AnyUser, object_type: str, requested_id: Any, found: Any) -> None:
    """What an access check saw: the object it returns (a read), or None (a refusal).

    A refusal is only recorded when a particular id was asked for; "this login has no
    record" (requested_id None, found None) is not an attempt on anyone's data.
    """
    if found is not None:
        patient_id, clinic_id = whose(found)
        record(
            Action.READ, by=user, object_type=object_type, object_id=found.pk,
            patient_id=patient_id, clinic_id=clinic_id,
        )  # fmt: skip
    elif requested_id is not None:
        record(
            Action.READ, by=user, outcome=Outcome.DENIED, object_type=object_type,
            object_id=_as_id(requested_id), reason="not_visible",
        )  # fmt: skip


def exported(action: str, found: Any, kind: str) -> None:
    """A document about a patient left the system (PDF, print): by the request's user."""
    patient_id, clinic_id = whose(found)
    record(
        action, object_type=found._meta.model_name, object_id=found.pk,
        patient_id=patient_id, clinic_id=clinic_id, reason=kind,
    )  # fmt: skip


def _as_id(requested: Any) -> str:
    """What was asked for, if it looks like an id; a refusal must not fail on odd input."""
    text = str(requested)
    return text if OBJECT_ID.fullmatch(text) else "malformed"


def whose(found: Any) -> tuple[int | None, int | None]:
    """(patient id, clinic id) of a patient, or of anything that belongs to one: directly, or
    through its episode (evaluations, referrals, plans, visits)."""
    if found._meta.model_name == "patient":
        return found.pk, found.preferred_clinic_id
    if not hasattr(found, "patient_id") and hasattr(found, "episode_id"):
        return found.episode.patient_id, found.episode.clinic_id
    return getattr(found, "patient_id", None), getattr(found, "clinic_id", None)


def actor_role(user: AnyUser) -> str:
    role = staff_role(user)
    if role:
        return role
    if getattr(user, "is_patient_user", False):
        return "patient"
    return "owner" if getattr(user, "is_superuser", False) else ""


def actor_fields(user: AnyUser | AccountRef | None) -> dict[str, Any]:
    """Staff are named by id and username, so the row outlives their account. A patient by
    id only: their username may be made of their name, and the id already says who."""
    if user is None or not user.is_authenticated:
        return {"actor_id": None, "actor_username": "", "actor_role": ""}
    if isinstance(user, AccountRef):  # neither staff, nor a patient, nor the owner
        return {"actor_id": user.pk, "actor_username": "", "actor_role": ""}
    role = actor_role(user)
    username = "" if role in ("patient", "") else user.get_username()
    return {"actor_id": user.pk, "actor_username": username, "actor_role": role}


def _checked(row: dict[str, Any]) -> dict[str, Any]:
    """Refuses anything that is not an id or a code: the trail holds no free text."""
    if row["action"] not in Action.values:
        raise ValueError(f"unknown audit action {row['action']!r}")
    if row["outcome"] not in Outcome.values:
        raise ValueError(f"unknown audit outcome {row['outcome']!r}")
    for name in ("object_type", "reason"):
        if not CODE.fullmatch(row[name]):
            raise ValueError(f"audit {name} must be a short code, got {row[name]!r}")
    if not OBJECT_ID.fullmatch(row["object_id"]):
        raise ValueError("audit object_id must be an id")
    return row


def _append(rows: list[dict[str, Any]]) -> list[AuditEvent]:
    """One statement appends them all: it reads the last row, hashes and inserts each in
    turn, all under the lock.

    Every page that reads a record pays for this, so it is kept to one round trip. On
    PostgreSQL, outside the caller's transaction, that statement is a transaction by itself
    (autocommit: the chain lock is held until it commits), so no BEGIN and COMMIT go around it.
    SQLite appends row by row in one transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            bodies = [chain.body(row) for row in rows]
            cursor.execute(POSTGRES_APPEND, [CHAIN_LOCK_KEY, chain.GENESIS, bodies])
            sealed = sorted(cursor.fetchall())  # by id: the order of `rows`
    elif connection.vendor == "sqlite":
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            _teach_sqlite_sha256()
            sealed = []
            for row in rows:
                cursor.execute(_sqlite_append_sql(), _sqlite_append_params(row))
                sealed.append(cursor.fetchone())
    else:
        raise ImproperlyConfigured("The audit trail supports PostgreSQL and SQLite.")
    return [_event(row, *seal) for row, seal in zip(rows, sealed, strict=True)]


def _event(row: dict[str, Any], event_id: int, previous_hash: str, event_hash: str) -> AuditEvent:
    event = AuditEvent(**row, id=event_id, previous_hash=previous_hash, hash=event_hash)
    event._state.adding, event._state.db = False, connection.alias
    return event


# audit_append takes the chain lock (pg_advisory_xact_lock, held until the transaction
# ends) and does the rest in SQL, for each body in turn: migration audit.0005 has it (0003
# the one-body form it replaced).
POSTGRES_APPEND = "SELECT new_id, new_previous_hash, new_hash FROM audit_append(%s, %s, %s::text[])"

# SQLite: transactions here begin IMMEDIATE, so this writer already holds the database's
# write lock; the statement reads the last row and inserts the next, hashed as chain.digest().
SQLITE_APPEND = """
INSERT INTO audit_auditevent (id, previous_hash, hash, {columns})
SELECT last.id + 1, last.hash,
       unknot_sha256((last.id + 1) || char(10) || last.hash || char(10) || %s),
       {values}
  FROM (SELECT coalesce((SELECT max(id) FROM audit_auditevent), 0) AS id,
               coalesce((SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1), %s)
                   AS hash) AS last
RETURNING id, previous_hash, hash
"""


def _sqlite_append_sql() -> str:
    columns = chain.BODY_FIELDS
    return SQLITE_APPEND.format(columns=", ".join(columns), values=", ".join(["%s"] * len(columns)))


def _sqlite_append_params(row: dict[str, Any]) -> list[Any]:
    """In placeholder order: the body, the columns (as the ORM would store them), genesis."""
    stored = [_stored(name, row[name]) for name in chain.BODY_FIELDS]
    return [chain.body(row), *stored, chain.GENESIS]


def _stored(name: str, value: Any) -> Any:
    field = AuditEvent._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column of the event, not a reverse relation
    return field.get_db_prep_save(value, connection)


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _teach_sqlite_sha256() -> None:
    """SQLite has no SHA-256 of its own; Python's sqlite3 lets us lend it ours (no query)."""
    connection.ensure_connection()
    connection.connection.create_function("unknot_sha256", 1, _sha256_hex, deterministic=True)


# Rows are streamed (a server-side cursor on PostgreSQL), this many at a time: memory stays
# flat however long the trail.
VERIFY_CHUNK = 2000


def verify_chain(since: AuditCheckpoint | None = None) -> chain.Verdict:
    """The whole chain, or (`since` a signed checkpoint) its row and every row after it."""
    rows = AuditEvent.objects.order_by("id").values(*chain.FIELDS, "hash")
    if since is None:
        return chain.verify(rows.iterator(chunk_size=VERIFY_CHUNK))
    after = rows.filter(id__gte=since.last_event_id).iterator(chunk_size=VERIFY_CHUNK)
    return chain.verify_from_anchor(after, since.last_event_id, since.last_hash)
