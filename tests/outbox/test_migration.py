"""The outbox left booking for its own app without moving a row.

booking's 0006 and outbox's 0001 change Django's state only (the table stays
booking_outboxemail); outbox's 0002 renames what names the model by its old place: waiting
worker tasks (their dotted path) and the content type. A database with the demo practice
loaded is taken back to before the move and forward again: every email is still there and
reads the same through the model of each side, and the worker still finds its tasks.
"""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from unknot.demo.load import load_demo
from unknot.outbox import tasks
from unknot.outbox.models import OutboxEmail, OutboxStatus

BEFORE = [("booking", "0005_hold_owner")]
AFTER = [("outbox", "0002_moved_from_booking")]
OLD_PATH, NEW_PATH = "unknot.booking.tasks.", "unknot.outbox.tasks."
FIELDS = [field.attname for field in OutboxEmail._meta.concrete_fields]


def rows(model: Any) -> list[tuple[Any, ...]]:
    return list(model.objects.order_by("pk").values_list(*FIELDS))


def task_paths(prefix: str) -> list[str]:
    return list(
        DBTaskResult.objects.filter(task_path__startswith=prefix)
        .order_by("id")
        .values_list("task_path", flat=True)
    )


def content_type_app(pk: int) -> str:
    return str(ContentType.objects.filter(pk=pk).values_list("app_label", flat=True).get())


@pytest.mark.django_db(transaction=True)
def test_the_demo_practices_emails_survive_the_move_both_ways() -> None:
    assert load_demo() is True
    emails = rows(OutboxEmail)
    kinds = {row[FIELDS.index("kind")] for row in emails}
    assert len(emails) > 10 and {"confirmation", "reminder"} <= kinds
    assert OutboxEmail.objects.filter(appointment__isnull=False).count() > 10
    queued_tasks = task_paths(NEW_PATH)
    assert queued_tasks  # the demo's bookings handed their emails to the worker
    content_type = ContentType.objects.get_for_model(OutboxEmail).pk

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old_model = executor.loader.project_state(BEFORE).apps.get_model("booking", "OutboxEmail")
        assert old_model._meta.db_table == "booking_outboxemail"
        assert rows(old_model) == emails
        assert task_paths(NEW_PATH) == []
        assert task_paths(OLD_PATH) == [p.replace(NEW_PATH, OLD_PATH) for p in queued_tasks]
        assert content_type_app(content_type) == "booking"
        # An email written, and handed to the worker, before the move.
        first = old_model.objects.filter(appointment__isnull=False).order_by("pk").first()
        written_before = old_model.objects.create(
            key="written-before-the-move",
            kind="confirmation",
            clinic_id=first.clinic_id,
            appointment_id=first.appointment_id,
            to="before@test.example",
            subject="Your appointment is booked",
            body="See you soon.",
            send_after=timezone.now(),
        )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    assert rows(OutboxEmail)[: len(emails)] == emails
    assert task_paths(OLD_PATH) == [] and task_paths(NEW_PATH) == queued_tasks
    waiting = DBTaskResult.objects.filter(task_path__startswith=NEW_PATH)
    # The same task functions, whatever time each was queued to run at (a reminder waits).
    funcs = {tasks.deliver_email.func, tasks.deliver_emails.func}
    assert {result.task.func for result in waiting} <= funcs
    assert content_type_app(content_type) == "outbox"
    # Read through the new model, relations and all, and sent by the worker at its new place.
    moved = OutboxEmail.objects.select_related("clinic", "appointment").get(pk=written_before.pk)
    assert moved.clinic.pk == first.clinic_id and moved.appointment.emails.filter(pk=moved.pk)
    assert tasks.deliver_email.call(moved.pk) == "sent"
    assert mail.outbox[-1].to == ["before@test.example"]
    assert OutboxEmail.objects.get(pk=moved.pk).status == OutboxStatus.SENT
