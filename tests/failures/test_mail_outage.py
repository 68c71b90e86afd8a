"""The mail server goes away: requests never wait on it, the worker retries, nothing goes twice.

Requests only write emails to the outbox, in the transaction of what they tell about; the
database-backed worker (`db_worker`) sends them. Two kinds of broken mail server are used,
both real sockets on 127.0.0.1: a closed port (connection refused at once) and a silent one
that accepts connections and never says a word (a hung server: a client would wait for its
greeting until the timeout). The working server is the real SMTP server of `smtp_inbox`.
"""

import datetime as dt
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.calendar import NOW, Calendar
from tests.failures.booking_steps import (
    answer_safety,
    free_times,
    safety_answered,
    up_to_the_last_step,
)
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.outbox.tasks import MAX_ATTEMPTS, RETRY_BACKOFF

pytestmark = pytest.mark.django_db(transaction=True)

ALARMING = ("error", "fail", "could not", "couldn't", "problem", "unable", "went wrong")


class Clock:
    """The "now" of every view and of the worker, moved forward by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def advance(self, by: dt.timedelta) -> None:
        self.now += by


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moving.now)
    return moving


def smtp_at(port: int, timeout: int = 10) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """Listens, so connections are accepted by the kernel, but never answers: a hung server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener


def nobody_connected(listener: socket.socket) -> bool:
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def book_online(calendar: Calendar, n: int = 1) -> tuple[Any, Client]:
    web = Client()
    up_to_the_last_step(web, calendar, next(free_times(calendar)), n)
    response = answer_safety(web, calendar)
    assert safety_answered(response), response.status_code
    return response, web


def confirmation() -> OutboxEmail:
    return OutboxEmail.objects.get(kind="confirmation")


def test_a_booking_does_not_wait_for_a_mail_server_that_never_answers(
    calendar: Calendar, clock: Clock, silent_server: socket.socket, settings: Any
) -> None:
    settings.MAILERS = smtp_at(silent_server.getsockname()[1], timeout=10)
    started = time.monotonic()
    response, web = book_online(calendar)
    page = web.get(response["Location"]).content.decode()
    assert time.monotonic() - started < 5, "the booking waited for the mail server"
    assert nobody_connected(silent_server), "a request spoke to the mail server"
    assert "You are booked" in page
    assert not [word for word in ALARMING if word in page.lower()]
    assert confirmation().status == OutboxStatus.QUEUED  # waiting for the worker


def test_the_worker_records_the_failure_retries_later_and_sends_once(
    calendar: Calendar, clock: Clock, smtp_inbox: Any, settings: Any
) -> None:
    working = settings.MAILERS
    settings.MAILERS = smtp_at(closed_port())
    book_online(calendar)
    run_worker()
    row = confirmation()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert row.last_error.startswith("ConnectionRefusedError")
    assert row.send_after == clock.now + RETRY_BACKOFF[0]
    run_worker()  # not due yet: nothing is tried
    assert confirmation().attempts == 1

    clock.advance(RETRY_BACKOFF[0])
    run_worker()  # due again, the server is still down
    row = confirmation()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)
    assert row.send_after == clock.now + RETRY_BACKOFF[1]

    settings.MAILERS = working  # the mail server is back
    clock.advance(RETRY_BACKOFF[1])
    run_worker()
    row = confirmation()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    clock.advance(dt.timedelta(minutes=5))
    run_worker()
    run_worker()
    subjects = [message["Subject"] for message in smtp_inbox.messages]
    assert len(subjects) == 1 and subjects[0].startswith("Your appointment is booked")


def test_after_the_last_attempt_the_worker_gives_up_and_never_sends(
    calendar: Calendar, clock: Clock, smtp_inbox: Any, settings: Any
) -> None:
    working = settings.MAILERS
    settings.MAILERS = smtp_at(closed_port())
    book_online(calendar)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run_worker()
        assert confirmation().attempts == attempt
        clock.advance(RETRY_BACKOFF[min(attempt - 1, len(RETRY_BACKOFF) - 1)])
    row = confirmation()
    assert row.status == OutboxStatus.GAVE_UP and "ConnectionRefusedError" in row.last_error
    settings.MAILERS = working
    clock.advance(dt.timedelta(hours=3))
    run_worker()
    assert confirmation().attempts == MAX_ATTEMPTS
    assert not [m for m in smtp_inbox.messages if m["Subject"].startswith("Your appointment")]


def reset_password(email: str) -> Any:
    return Client(raise_request_exception=False).post("/accounts/password/reset/", {"email": email})


def test_a_password_reset_while_the_mail_server_is_down_answers_as_usual(
    cast: Any, smtp_inbox: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The request only queues the email; the worker's failure is logged, without the address."""
    working = settings.MAILERS
    settings.MAILERS = smtp_at(closed_port())
    known = cast.patient_p.user.email
    refused_mail = reset_password(known)
    unknown = reset_password("nobody@test.example")
    assert refused_mail.status_code == 302
    assert refused_mail["Location"] == unknown["Location"]  # the same answer, known or not
    page = Client().get(refused_mail["Location"]).content.decode().lower()
    assert not [word for word in ALARMING if word in page]
    with caplog.at_level(logging.ERROR, logger="django.contrib.auth"):
        run_worker()
    logged = [r for r in caplog.records if "password reset" in r.getMessage()]
    assert logged, "the failure was not logged"
    assert not [r for r in logged if known in r.getMessage()]  # the address is not logged
    assert smtp_inbox.messages == []
    settings.MAILERS = working  # with the server back, asking again sends the email
    assert reset_password(known)["Location"] == unknown["Location"]
    run_worker()
    assert [m["To"] for m in smtp_inbox.messages] == [known]


def test_a_password_reset_does_not_wait_for_a_mail_server_that_never_answers(
    cast: Any, silent_server: socket.socket, settings: Any
) -> None:
    settings.MAILERS = smtp_at(silent_server.getsockname()[1], timeout=3)
    started = time.monotonic()
    response = reset_password(cast.patient_p.user.email)
    assert response.status_code == 302
    assert time.monotonic() - started < 1.5, "the request waited for the mail server"
    assert nobody_connected(silent_server), "the request spoke to the mail server"
