"""The database goes away in the middle of a public booking: the error page, and nothing half-made.

The last step of the booking (the safety questions) writes the patient, turns the hold into
a booking, opens the episode and its intake, queues two emails and the worker's task, and
records all of it in the audit trail, in one transaction. The database is cut before each of
those statements in turn, and before every other statement of the request.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from tests.calendar import Calendar
from tests.failures.booking_steps import (
    answer_safety,
    booking_url,
    free_times,
    safety_answered,
    up_to_the_last_step,
)
from tests.failures.outage import (
    appends_audit,
    assert_plain_500,
    database_outage,
    inserts_into,
    updates,
)
from tests.failures.sweep import (
    Attempt,
    assert_audit_chain_intact,
    cut_before_every_statement,
    data_state,
)
from unknot.booking.models import Appointment, Status

pytestmark = pytest.mark.django_db(transaction=True)

# The writes of the last step, each a point where the database can go away.
WRITES = {
    "the new patient": inserts_into("patients_patient"),
    "the audit of the new patient": appends_audit,
    "the hold becoming a booking": updates("booking_appointment"),
    "the episode": inserts_into("records_episode"),
    "the intake": inserts_into("records_intake"),
    "the emails": inserts_into("booking_outboxemail"),
    "the worker's task": inserts_into("django_tasks_database_dbtaskresult"),
}


@pytest.fixture
def times(calendar: Calendar, clock: dt.datetime) -> Iterator[dt.datetime]:
    return free_times(calendar)


@pytest.mark.parametrize("write", list(WRITES))
def test_cut_before_a_write_of_the_booking_changes_nothing_and_a_retry_books(
    calendar: Calendar, times: Iterator[dt.datetime], visitor: Client, write: str
) -> None:
    up_to_the_last_step(visitor, calendar, next(times), 1)
    before = data_state()
    with database_outage(WRITES[write]) as outage:
        response = answer_safety(visitor, calendar)
    assert outage.happened, f"the request never reached {write}"
    assert_plain_500(response, "Marsh1", "rosa.marsh1@example.org", "1984")
    assert data_state() == before, f"cut before {write}: half-written"
    assert_audit_chain_intact()
    # The next request gets a new connection: answering again books, as if nothing happened.
    retry = answer_safety(visitor, calendar)
    assert retry["Location"] == booking_url("book_done", calendar)
    assert visitor.get(retry["Location"]).status_code == 200
    assert Appointment.objects.filter(status=Status.BOOKED).count() == 1
    assert_audit_chain_intact()


def test_a_cut_before_any_statement_leaves_the_whole_booking_or_none_of_it(
    calendar: Calendar, times: Iterator[dt.datetime]
) -> None:
    """Every statement of the last step in turn, the reads and the session save included."""

    def prepare(n: int) -> Attempt:
        visitor = Client(raise_request_exception=False)
        up_to_the_last_step(visitor, calendar, next(times), n)  # a new person, a new time
        secrets = (f"Marsh{n}", f"rosa.marsh{n}@example.org")
        return Attempt(lambda: answer_safety(visitor, calendar), secrets)

    outcomes = cut_before_every_statement(prepare, safety_answered)
    assert outcomes.count("none") > 10  # every statement up to the commit
