"""A booking's emails and the worker's task for them: one statement on PostgreSQL."""

import pytest
from django.forms.models import model_to_dict
from django_tasks_db.models import DBTaskResult

from tests.booking.test_episode_on_booking import book
from tests.calendar import Calendar
from unknot.outbox import tasks
from unknot.outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.mark.postgres  # SQLite writes the emails, then the task through enqueue itself
def test_the_task_written_with_the_emails_is_the_one_enqueue_writes(calendar: Calendar) -> None:
    book(calendar, calendar.evaluation_a, "09:00")
    [joined] = DBTaskResult.objects.all()
    ids = sorted(OutboxEmail.objects.values_list("pk", flat=True))
    assert joined.args_kwargs == {"args": [ids], "kwargs": {}}
    enqueued = tasks.deliver_emails.enqueue(ids).db_result
    enqueued.refresh_from_db()
    ignored = ("id", "enqueued_at")
    assert model_to_dict(joined, exclude=ignored) == model_to_dict(enqueued, exclude=ignored)
