"""Reads from a streaming replica, only where a slightly old answer is fine (docs/deploy.md).

The reports, dashboards and exports are heavy reads that do not need the last second's
writes; everything else reads and writes on the primary. The choice is made in one place,
`reading_from_replica()`: inside it, reads go to the replica when one is configured
(DATABASE_REPLICA_URL) and its lag is at most REPLICA_MAX_LAG_SECONDS; outside it, or when the
replica is missing, unreachable or behind, every read goes to the primary. The router below
only carries that choice out, so no read elsewhere can meet a stale replica.

Writes always go to the primary, the audit rows of the very reads made on the replica too.
Some apps are read on the primary even inside the block, because their rows decide access or
were just written by the same request (PRIMARY_ONLY_APPS), and so is every read made inside
a transaction on the primary (a read after a write, or a row locked for update).
"""

import contextvars
import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model

REPLICA_ALIAS = "replica"
# Sign-in, roles, sessions, emergency access and the audit trail: who may read, and the trail
# of what they read, always as the primary has it this instant.
PRIMARY_ONLY_APPS = frozenset(
    {
        "accounts", "auth", "contenttypes", "sessions", "admin", "audit", "breakglass",
        "outbox", "django_tasks_db", "otp_totp", "otp_static", "django_otp",
    }
)  # fmt: skip

# How far behind the primary the replica is, in seconds; 0 on a database that is not in
# recovery (the primary itself, or a test mirror of it). Measured on the replica alone:
# received WAL all replayed while streaming means caught up; otherwise the age of the last
# transaction replayed (NULL before the first one: treated as far behind).
LAG_SQL = """
    SELECT CASE
      WHEN NOT pg_is_in_recovery() THEN 0
      WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
       AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
      ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
    END
"""

log = logging.getLogger(__name__)
_reading_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "unknot_reading_alias", default=None
)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def measure_replica_lag() -> float | None:
    """The replica's lag in seconds, or None when it cannot be asked (down, refusing)."""
    connection = connections[REPLICA_ALIAS]
    if connection.vendor != "postgresql":
        return 0.0  # SQLite has no replica: the alias can only be a mirror of the same file
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        log.warning("replica not reachable, reading from the primary: %s", error)
        connection.close()  # a broken connection is not reused by the next request
        return None
    return float(row[0])


def replica_usable(lag_seconds: Callable[[], float | None] = measure_replica_lag) -> bool:
    """Whether reads may go to the replica now: configured, reachable and not too far behind."""
    if not replica_configured():
        return False
    lag = lag_seconds()
    return lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS


@contextmanager
def reading_from_replica(
    lag_seconds: Callable[[], float | None] = measure_replica_lag,
) -> Iterator[str]:
    """Reads inside go to the replica when it is usable, else to the primary.

    Yields the alias chosen. `lag_seconds` measures the lag (tests give their own figure).
    """
    alias = REPLICA_ALIAS if replica_usable(lag_seconds) else DEFAULT_DB_ALIAS
    token = _reading_alias.set(alias)
    try:
        yield alias
    finally:
        _reading_alias.reset(token)


def replica_reads[**P, R](view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from the replica (a report, a dashboard, an export)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Carries out `reading_from_replica()`'s choice; sends nothing to the replica otherwise."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        alias = _reading_alias.get()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # this request wrote or locked rows: read them back here
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Explicit: otherwise Django would save a row read from the replica back to it.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        return True  # the replica holds the primary's very rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA_ALIAS  # the replica gets its schema by replication
