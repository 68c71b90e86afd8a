"""Background work, run by the database-backed worker (`make worker`, i.e. `db_worker`)."""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import router, transaction
from django.db.models.signals import pre_save
from django.tasks import task
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from unknot.common.together import insert_select_sql, postgres_writes_together
from unknot.outbox import mailer
from unknot.outbox.models import OutboxEmail, OutboxStatus

MAX_ATTEMPTS = 5
RETRY_BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)


@task()
def deliver_email(outbox_id: int) -> str:
    """Sends one outbox email at most once: the row is locked and checked before sending."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, status__in=(OutboxStatus.QUEUED, OutboxStatus.FAILED))
            .first()
        )
        if row is None:
            return "nothing to do"
        if row.send_after > now:
            transaction.on_commit(lambda: schedule(row))
            return "not due yet"
        try:
            mailer.send(row)
        except Exception as error:
            _record_failure(row, error, now)
            return "failed"
        row.status, row.sent_at, row.attempts = OutboxStatus.SENT, now, row.attempts + 1
        row.save(update_fields=["status", "sent_at", "attempts"])
        return "sent"


def _record_failure(row: OutboxEmail, error: Exception, now: dt.datetime) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.GAVE_UP
    else:
        row.status = OutboxStatus.FAILED
        row.send_after = now + RETRY_BACKOFF[min(row.attempts - 1, len(RETRY_BACKOFF) - 1)]
        transaction.on_commit(lambda: schedule(row))
    row.save(update_fields=["attempts", "last_error", "status", "send_after"])


def schedule(row: OutboxEmail) -> None:
    deliver_email.using(run_after=row.send_after).enqueue(row.pk)


@task()
def deliver_emails(outbox_ids: list[int]) -> list[str]:
    """Emails queued together (a booking's confirmation and reminder), one task for all.

    Each goes through `deliver_email`: what is due is sent now, at most once; what is not
    due yet (the reminder) gets its own task for later.
    """
    return [deliver_email.call(outbox_id) for outbox_id in outbox_ids]


def new_emails_task(ids_sql: str, using: str) -> tuple[str, list[Any], Callable[[list[int]], None]]:
    """The row `deliver_emails.enqueue(ids)` writes, as an INSERT whose ids are the SQL
    expression `ids_sql` (a JSON array: the emails inserted by the same statement), and what
    to do once it is written (the backend's "enqueued" signal, as `enqueue` sends it).

    For `queue.write_new`, only where `task_joins_the_insert()`. The row is the one the
    backend's `enqueue` makes (django_tasks_db's `_task_to_db_task`, its id function and its
    pre_save handler that fills `run_after`); tests compare the two.
    """
    backend = deliver_emails.get_backend()
    assert isinstance(backend, DatabaseBackend)  # as task_joins_the_insert() made sure
    backend.validate_task(deliver_emails)
    row: DBTaskResult[..., Any] = DBTaskResult(
        id=backend._get_id(),  # the backend's own: its option `id_function`, else a UUID
        priority=deliver_emails.priority,
        task_path=deliver_emails.module_path,
        queue_name=deliver_emails.queue_name,
        run_after=deliver_emails.run_after,  # type: ignore[misc]  # None: pre_save fills it
        backend_name=backend.alias,
    )
    pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=using, update_fields=None)
    arguments = f"jsonb_build_object('args', jsonb_build_array({ids_sql}), 'kwargs', '{{}}'::jsonb)"
    sql, params = insert_select_sql(row, using, when="TRUE", args_kwargs=arguments)

    def enqueued(ids: list[int]) -> None:
        row.args_kwargs = {"args": [ids], "kwargs": {}}
        task_enqueued.send(type(backend), task_result=row.task_result)

    return sql, params, enqueued


def task_joins_the_insert() -> bool:
    """Whether the worker's task row can be written by the emails' own INSERT: the database
    backend, on the outbox's PostgreSQL database."""
    return _queued_in_same_transaction() and postgres_writes_together(OutboxEmail)


def schedule_new(rows: Sequence[OutboxEmail]) -> None:
    """Asks the worker to send emails just written in the caller's transaction.

    With the database task backend on the same database, the task row is written in that
    transaction: it becomes visible with the emails on commit and vanishes with them on
    rollback, at no extra commit. Any other backend is asked only once the commit is done.
    """
    ids = [row.pk for row in rows]
    if not ids:
        return
    if _queued_in_same_transaction():
        deliver_emails.enqueue(ids)
    else:
        transaction.on_commit(lambda: deliver_emails.enqueue(ids))


def _queued_in_same_transaction() -> bool:
    backend = deliver_emails.get_backend()
    same_database = router.db_for_write(DBTaskResult) == router.db_for_write(OutboxEmail)
    return isinstance(backend, DatabaseBackend) and same_database


@task()
def sweep_outbox() -> int:
    """Re-schedules due emails whose task was lost (e.g. a worker killed mid-run)."""
    due = OutboxEmail.objects.filter(
        status__in=(OutboxStatus.QUEUED, OutboxStatus.FAILED), send_after__lte=timezone.now()
    )
    count = 0
    for row in due:
        schedule(row)
        count += 1
    return count
