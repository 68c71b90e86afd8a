"""Emails go out through the real database-backed worker to a real SMTP server, at most once."""

import datetime as dt
import socket
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar as ICalendar

from tests.calendar import Calendar, local
from unknot.booking import services
from unknot.outbox import tasks
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.patients.services import PersonDetails


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def book_online(cal: Calendar, days_ahead: int, hhmm: str, person: PersonDetails) -> Any:
    """`person` books the clinic's evaluation online, at `hhmm` on the first weekday at
    least `days_ahead` days from now: through the hold, as on the public pages."""
    now = timezone.now()
    day = (now + dt.timedelta(days=days_ahead)).date()
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    hold = services.hold_slot(
        clinic=cal.cast.clinic_a,
        appointment_type=cal.evaluation_a,
        therapist_id=None,
        start=local(cal.cast.clinic_a, day, hhmm),
        now=now,
    )
    return services.confirm_hold(hold_id=hold.pk, patient=person, now=now)


def book_in_two_days(cal: Calendar) -> Any:
    ola = PersonDetails("Ola", "Outbox", dt.date(1980, 4, 4), "ola@test.example")
    return book_online(cal, 2, "10:00", ola)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_confirmation_is_delivered_once_with_its_calendar_file(
    calendar: Calendar, smtp_inbox: Any
) -> None:
    appointment = book_in_two_days(calendar)
    run_worker()
    run_worker()  # a second pass must not send anything again
    (message,) = smtp_inbox.messages
    assert message["To"] == "ola@test.example"
    attachment = next(part for part in message.iter_attachments())
    event = ICalendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == appointment.start
    confirmation = OutboxEmail.objects.get(appointment=appointment, kind="confirmation")
    assert confirmation.status == OutboxStatus.SENT and confirmation.attempts == 1
    reminder = OutboxEmail.objects.get(appointment=appointment, kind="reminder")
    assert reminder.status == OutboxStatus.QUEUED  # due 24 h before the visit, not now
    assert DBTaskResult.objects.filter(run_after__gt=timezone.now()).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_recorded_and_retried(
    calendar: Calendar, smtp_inbox: Any, settings: Any
) -> None:
    working_mailers = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    appointment = book_in_two_days(calendar)
    run_worker()
    row = OutboxEmail.objects.get(appointment=appointment, kind="confirmation")
    assert row.status == OutboxStatus.FAILED and row.attempts == 1
    assert "ConnectionRefused" in row.last_error
    assert row.send_after > timezone.now()  # retried later, with back-off
    settings.MAILERS = working_mailers
    OutboxEmail.objects.filter(pk=row.pk).update(send_after=timezone.now())
    assert tasks.deliver_email.call(row.pk) == "sent"
    assert tasks.deliver_email.call(row.pk) == "nothing to do"
    assert len(smtp_inbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_reminder_goes_out_when_due_and_not_after_cancellation(
    calendar: Calendar, smtp_inbox: Any
) -> None:
    appointment = book_in_two_days(calendar)
    reminder = OutboxEmail.objects.get(appointment=appointment, kind="reminder")
    OutboxEmail.objects.filter(pk=reminder.pk).update(send_after=timezone.now())
    assert tasks.deliver_email.call(reminder.pk) == "sent"
    assert smtp_inbox.messages[-1]["Subject"].startswith("Reminder")

    second = book_in_two_days_later(calendar)
    services.appointment_cancel(by=None, appointment=second, now=timezone.now())
    cancelled = OutboxEmail.objects.get(appointment=second, kind="reminder")
    assert cancelled.status == OutboxStatus.CANCELLED
    assert tasks.deliver_email.call(cancelled.pk) == "nothing to do"


def book_in_two_days_later(cal: Calendar) -> Any:
    cy = PersonDetails("Cy", "Cancel", dt.date(1981, 5, 5), "cy@test.example")
    return book_online(cal, 3, "14:00", cy)


@pytest.mark.django_db(transaction=True)
def test_an_email_whose_task_was_lost_is_sent_once_after_the_sweep(
    calendar: Calendar, smtp_inbox: Any
) -> None:
    """A worker killed mid-send: the row is still queued, its task gone (claimed and never
    finished). `outbox_sweep` hands it to the worker again; it goes out once, and every sending
    of a row carries the same Message-ID, so a repeat could be told apart."""
    appointment = book_in_two_days(calendar)
    DBTaskResult.objects.all().delete()  # the lost task
    run_worker()
    assert smtp_inbox.messages == []
    call_command("outbox_sweep", verbosity=0)
    run_worker()
    call_command("outbox_sweep", verbosity=0)  # nothing due any more: nothing sent again
    run_worker()
    (message,) = smtp_inbox.messages
    row = OutboxEmail.objects.get(appointment=appointment, kind="confirmation")
    assert row.status == OutboxStatus.SENT
    assert message["Message-ID"] == f"<outbox-{row.pk}@unknot.example>"
