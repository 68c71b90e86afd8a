"""A real server, a real browser-like client, and a real PostgreSQL backend killed mid-booking.

The site runs in pytest-django's live server (its own thread, its own connections, Django's
request handling exactly as in production: connections opened per request and closed after
it). A client speaks HTTP to it with cookies and CSRF tokens. Just before the booking's
transaction writes its emails, the server's own PostgreSQL backend is ended from a second
connection with `pg_terminate_backend`.

Needs DATABASE_URL pointing at PostgreSQL (the PostgreSQL pass of .ci/run); skipped otherwise.
"""

import datetime as dt
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from django.urls import reverse

from tests.calendar import Calendar
from tests.failures.booking_steps import ALL_NO, free_times, person
from tests.failures.outage import PLAIN_500_HEADING, STACK_TEXT, Outage, inserts_into
from tests.failures.sweep import assert_audit_chain_intact, data_state
from unknot.booking.models import Appointment, Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    """Cookies, CSRF tokens and plain HTTP, like a browser without JavaScript."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def get(self, path: str) -> tuple[int, str]:
        return self._send(path, None)

    def post(self, path: str, data: dict[str, Any]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}, doseq=True)
        return self._send(path, body.encode())

    def _send(self, path: str, body: bytes | None) -> tuple[int, str]:
        assert self.base.startswith("http://127.0.0.1:") or self.base.startswith(
            "http://localhost:"
        )
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (checked above)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        found = CSRF.search(text)
        self.token = found.group(1) if found else self.token
        return status, text


@pytest.fixture
def server_outage(live_server: Any) -> Iterator[Outage]:
    """An Outage on every connection the live server's thread opens (not the test's own)."""
    outage = Outage(inserts_into("booking_outboxemail"))
    test_thread = threading.current_thread()

    def arm(sender: Any, connection: Any, **kwargs: Any) -> None:
        if (
            threading.current_thread() is not test_thread
            and outage not in connection.execute_wrappers
        ):
            connection.execute_wrappers.append(outage)

    connection_created.connect(arm)
    yield outage
    connection_created.disconnect(arm)


def test_killing_the_servers_backend_mid_booking_shows_the_error_page_and_keeps_nothing(
    calendar: Calendar, clock: dt.datetime, live_server: Any, server_outage: Outage
) -> None:
    slug, kind = calendar.cast.clinic_a.slug, calendar.evaluation_a
    start = next(free_times(calendar))
    visitor = Visitor(live_server.url)
    times = reverse("booking:book_times", kwargs={"slug": slug, "type_id": kind.pk, "who": "any"})
    assert visitor.get(f"{times}?day={start.date().isoformat()}")[0] == 200
    hold = {"type_id": kind.pk, "who": "any", "start": start.isoformat()}
    assert visitor.post(reverse("booking:book_hold", kwargs={"slug": slug}), hold)[0] == 200
    details = reverse("booking:book_details", kwargs={"slug": slug})
    status, page = visitor.post(details, person(7))
    assert status == 200 and "safety" in page.lower()

    before = data_state()
    safety = reverse("booking:book_safety", kwargs={"slug": slug})
    status, page = visitor.post(safety, ALL_NO)
    assert server_outage.killed_pid is not None, "the server's backend was not killed"
    assert status == 500 and PLAIN_500_HEADING in page
    assert STACK_TEXT.search(page) is None and "Marsh7" not in page
    assert data_state() == before, "the killed booking left rows behind"
    assert_audit_chain_intact()

    status, page = visitor.post(safety, ALL_NO)  # the next request: a new connection
    assert status == 200 and "You are booked" in page
    assert Appointment.objects.filter(status=Status.BOOKED).count() == 1
    assert_audit_chain_intact()
