"""Writing emails to the outbox, for the worker to send later.

Rows are written in the caller's transaction; the worker is only asked to send them once the
transaction has committed, so a rolled-back change never sends an email.
"""

import datetime as dt

from django.db import models, router, transaction

from unknot.common.together import Writes, insert_sql, write_together
from unknot.outbox.models import OutboxEmail


def queue_email(
    *,
    key: str,
    kind: str,
    appointment: models.Model | None,
    clinic_id: int,
    to: str,
    subject: str,
    body: str,
    ics_text: str = "",
    send_after: dt.datetime,
    batch: list[OutboxEmail] | None = None,
) -> None:
    """One email, once per `key`: a key already in the outbox writes nothing.

    With `batch`, the row is only added to that list, to be written with the others by
    `write_new`.
    """
    # By id: the appointment is booking's, a higher app than outbox, so it stays a plain Model.
    appointment_id = appointment.pk if appointment is not None else None
    if batch is not None:  # e.g. a new booking's rows, written together by `write_new`
        batch.append(
            OutboxEmail(
                key=key,
                kind=kind,
                appointment_id=appointment_id,
                clinic_id=clinic_id,
                to=to,
                subject=subject,
                body=body,
                ics=ics_text,
                send_after=send_after,
            )
        )
        return
    row, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "appointment_id": appointment_id,
            "clinic_id": clinic_id,
            "to": to,
            "subject": subject,
            "body": body,
            "ics": ics_text,
            "send_after": send_after,
        },
    )
    if created:
        from unknot.outbox.tasks import schedule

        transaction.on_commit(lambda: schedule(row))


def write_new(rows: list[OutboxEmail]) -> list[OutboxEmail]:
    """The emails and one worker task for them, for emails whose keys cannot exist yet (e.g.
    they name an appointment just booked): no lookup first. Returns the rows written.

    On PostgreSQL with the database task backend, one statement writes both (`_with_task`);
    elsewhere one INSERT, then the task.
    """
    from unknot.outbox.tasks import schedule_new, task_joins_the_insert

    if rows and task_joins_the_insert():
        return _with_task(rows)
    written = OutboxEmail.objects.bulk_create(rows)
    schedule_new(written)
    return written


def _with_task(rows: list[OutboxEmail]) -> list[OutboxEmail]:
    """The emails' INSERT and their task's, as one statement: the task names the ids the
    emails' INSERT returns. Both commit, or roll back, with the caller's transaction."""
    from unknot.outbox.tasks import new_emails_task

    using = router.db_for_write(OutboxEmail)
    emails_sql, emails_params = insert_sql(rows, using)
    ids = "(SELECT jsonb_agg(id ORDER BY id) FROM outbox_new)"
    task_sql, task_params, enqueued = new_emails_task(ids, using)

    def written(new_ids: list[int]) -> None:
        for row, pk in zip(rows, new_ids, strict=True):  # ids are numbered in insert order
            row.pk, row._state.adding, row._state.db = pk, False, using
        enqueued(new_ids)

    write_together(
        [
            Writes(
                parts=(("outbox_new", emails_sql), ("outbox_task", task_sql)),
                params=(*emails_params, *task_params),
                result="(SELECT array_agg(id ORDER BY id) FROM outbox_new)",
                then=written,
            )
        ],
        using,
    )
    return rows
