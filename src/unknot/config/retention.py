"""What `purge_expired` removes, and how: rows past their use, in bounded batches.

Each app says which of its rows are past their use (one home per rule: the throttles in
accounts.throttle, the emails' text in outbox.retention); this module walks them batch by
batch, each batch its own short transaction, so a purge of millions of rows never holds a
long lock or a long transaction. Audit events, checkpoints and health records are never in
these lists. The whole run is recorded as one audit event, with the number of rows.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django_tasks_db.models import DBTaskResult

from unknot import audit
from unknot.accounts import throttle
from unknot.audit.models import Action
from unknot.exports import kept
from unknot.outbox import retention as outbox_retention


@dataclass(frozen=True)
class Purge:
    """One kind of row past its use: a label for people, the rows, what to do to a batch."""

    label: str
    rows: Callable[[dt.datetime], models.QuerySet[Any]]
    apply: Callable[[models.QuerySet[Any]], int]


def _delete(rows: models.QuerySet[Any]) -> int:
    return int(rows.delete()[0])


def _throttle_rows(index: int) -> Callable[[dt.datetime], models.QuerySet[Any]]:
    return lambda now: throttle.stale_rows(now)[index]


def _finished_tasks(now: dt.datetime) -> models.QuerySet[Any]:
    before = now - dt.timedelta(days=settings.RETAIN_FINISHED_TASK_DAYS)
    return DBTaskResult.objects.finished().filter(finished_at__lt=before)


PURGES = (
    Purge("expired sessions", lambda now: Session.objects.filter(expire_date__lt=now), _delete),
    Purge("sign-in counters past their window", _throttle_rows(0), _delete),
    Purge("addresses no longer trusted", _throttle_rows(1), _delete),
    Purge("request counters of quiet clients", _throttle_rows(2), _delete),
    Purge("finished background tasks", _finished_tasks, _delete),
    Purge(
        "texts of sent emails", outbox_retention.bodies_past_keeping, outbox_retention.drop_bodies
    ),
    Purge("PDF summaries not asked for again", kept.past_keeping, _delete),
)


def _in_batches(purge: Purge, now: dt.datetime, batch: int) -> int:
    """By primary key, `batch` rows at a time, until none are left."""
    done = 0
    while True:
        rows = purge.rows(now)
        keys = list(rows.order_by().values_list("pk", flat=True)[:batch])
        if not keys:
            return done
        with transaction.atomic():
            done += purge.apply(rows.model._default_manager.filter(pk__in=keys))


def purge_expired(
    now: dt.datetime, batch: int | None = None, report: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Runs every purge; returns rows removed (or emptied) by label. Recorded as one event."""
    size = batch or settings.PURGE_BATCH_ROWS
    counts = {}
    for purge in PURGES:
        counts[purge.label] = _in_batches(purge, now, size)
        if report is not None:
            report(purge.label, counts[purge.label])
    audit.record(
        Action.DELETE, object_type="expired_rows", object_id=sum(counts.values()),
        reason="retention",
    )  # fmt: skip
    return counts
