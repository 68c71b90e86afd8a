"""Races for the same therapist's time on PostgreSQL: exactly one booking wins, the rest are told.

Twenty bookings whose intervals all overlap each other are fired at once, ten rounds, through
the service and through HTTP; every loser gets `SlotTaken` (HTTP 409), nobody gets a 5xx, and
afterwards SQL finds no two live rows of a therapist that overlap. The database's exclusion
constraint is also shown to refuse overlapping rows written by raw SQL, bypassing our code, and
a real deadlock between two writers comes back as `SlotTaken` too.

Needs DATABASE_URL pointing at PostgreSQL (the PostgreSQL pass of .ci/run); skipped otherwise.
"""

import datetime as dt
import http.client
import json
import threading
import time
import urllib.parse
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import calendar as cal
from tests.concurrency import race
from tests.personas import Cast, make_cast
from unknot.booking import services
from unknot.booking.errors import SlotTaken
from unknot.booking.models import Appointment, AppointmentType, Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

RACERS = 20
ROUNDS = 10
STAGGER = dt.timedelta(
    minutes=3
)  # 19 x 3 = 57 min apart at most: every pair of 60-min visits overlaps

OVERLAPS = """
    SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
      ON a.therapist_id = b.therapist_id AND a.id < b.id
     AND tstzrange(a.blocked_start, a.blocked_end, '[)')
         && tstzrange(b.blocked_start, b.blocked_end, '[)')
     WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
"""


def overlapping_pairs() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        return int(cursor.fetchone()[0])


def working_days(after: dt.date, count: int) -> list[dt.date]:
    days = (after + dt.timedelta(days=n) for n in range(1, 4 * count))
    return [d for d in days if d.weekday() < 5][:count]


@pytest.fixture
def practice() -> tuple[Cast, AppointmentType]:
    cast = make_cast()
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    return cast, cal.evaluation_type(cast.clinic_a)


# --- through the service ---------------------------------------------------------------------


def test_only_one_of_twenty_simultaneous_bookings_wins(
    practice: tuple[Cast, AppointmentType],
) -> None:
    cast, kind = practice
    therapist = cast.therapist_a.staff_member
    for day in working_days(cal.NOW.date(), ROUNDS):
        first = cal.local(cast.clinic_a, day, "10:00")

        def book(i: int, first: dt.datetime = first) -> str:
            try:
                services.appointment_book(
                    by=cast.front_desk_a,
                    clinic=cast.clinic_a,
                    appointment_type=kind,
                    therapist=therapist,
                    patient=cast.patient_p,
                    start=first + i * STAGGER,
                    now=cal.NOW,
                )
            except SlotTaken:
                return "taken"
            return "booked"

        outcome = race(book, RACERS)
        assert outcome == {"booked": 1, "taken": RACERS - 1}, f"{day}: {outcome}"
    assert Appointment.objects.exclude(status=Status.CANCELLED).count() == ROUNDS
    assert overlapping_pairs() == 0


# --- through HTTP ----------------------------------------------------------------------------


def session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post_json(address: tuple[str, int], path: str, body: dict[str, Any], session: str) -> int:
    token = "r" * 32  # CSRF double submit: the same secret in the cookie and the header
    conn = http.client.HTTPConnection(*address, timeout=30)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={token}",
                "X-CSRFToken": token,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_over_http_one_wins_and_the_others_get_409(
    practice: tuple[Cast, AppointmentType], live_server: Any
) -> None:
    cast, kind = practice
    url = urllib.parse.urlsplit(live_server.url)
    address = ("127.0.0.1", url.port or 80)
    path = reverse("booking:api_appointments")
    sessions = [session_cookie(cast.front_desk_a) for _ in range(RACERS)]
    # the API reads the real clock, so these days are real days ahead
    for day in working_days(timezone.now().date() + dt.timedelta(days=2), ROUNDS):
        first = cal.local(cast.clinic_a, day, "10:00")

        def book(i: int, first: dt.datetime = first) -> str:
            body = {
                "clinic": cast.clinic_a.slug,
                "type": kind.pk,
                "therapist": cast.therapist_a.staff_member.pk,
                "patient": cast.patient_p.pk,
                "start": (first + i * STAGGER).isoformat(),
            }
            return str(post_json(address, path, body, sessions[i]))

        outcome = race(book, RACERS)
        assert outcome == {"201": 1, "409": RACERS - 1}, f"{day}: {outcome}"
    assert overlapping_pairs() == 0


# --- the database alone ----------------------------------------------------------------------


INSERT = """
    INSERT INTO booking_appointment (clinic_id, therapist_id, appointment_type_id, start, "end",
        blocked_start, blocked_end, status, source, cancel_reason, created_at, updated_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'raw-sql', '', now(), now())
"""


def raw_insert(cast: Cast, kind: AppointmentType, therapist: Any, hhmm: str, status: str) -> None:
    start = cal.local(cast.clinic_a, dt.date(2031, 3, 5), hhmm)
    end = start + dt.timedelta(hours=1)
    row = (cast.clinic_a.pk, therapist.pk, kind.pk, start, end, start, end, status)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT, row)


def test_the_database_refuses_overlaps_written_around_our_code(
    practice: tuple[Cast, AppointmentType],
) -> None:
    cast, kind = practice
    mine, theirs = cast.therapist_a.staff_member, cast.therapist_b.staff_member
    raw_insert(cast, kind, mine, "10:00", "booked")
    with pytest.raises(IntegrityError) as refused:
        raw_insert(cast, kind, mine, "10:30", "booked")
    assert refused.value.__cause__.sqlstate == "23P01"  # exclusion_violation
    raw_insert(cast, kind, mine, "10:30", "cancelled")  # cancelled rows block nobody
    raw_insert(cast, kind, theirs, "10:30", "booked")  # another therapist's calendar
    raw_insert(cast, kind, mine, "11:00", "booked")  # touching, [) ranges: no overlap
    assert overlapping_pairs() == 0


# --- a real deadlock -------------------------------------------------------------------------


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return int(cursor.fetchone()[0])


def wait_for_lock_waiters(count: int) -> None:
    deadline = time.monotonic() + 20
    while lock_waiters() < count:
        assert time.monotonic() < deadline, "the writers never blocked each other"
        time.sleep(0.05)


def test_a_deadlock_between_two_writers_is_slot_taken(
    practice: tuple[Cast, AppointmentType],
) -> None:
    """Two transactions each insert one visit, then one overlapping the other's: a cycle.

    PostgreSQL aborts one with 40P01; that writer must hear "taken", the other completes.
    """
    cast, kind = practice
    therapist = cast.therapist_a.staff_member
    day = dt.date(2031, 3, 5)
    first_inserted = threading.Barrier(2)
    seen: dict[str, Any] = {}

    def visit(hhmm: str) -> Appointment:
        start = cal.local(cast.clinic_a, day, hhmm)
        return services._new_appointment(
            cast.clinic_a, kind, therapist, start, patient=cast.patient_p, status=Status.BOOKED
        )

    def writer(name: str, mine: str, crossing: str, wait_for: int) -> None:
        try:
            with transaction.atomic():
                services._insert_exclusive(visit(mine), cal.NOW)
                first_inserted.wait(timeout=20)
                if wait_for:  # the second writer steps in only once the first is blocked
                    wait_for_lock_waiters(wait_for)
                services._insert_exclusive(visit(crossing), cal.NOW)
            seen[name] = "committed"
        except SlotTaken as taken:
            seen[name] = taken
        except Exception as unexpected:
            seen[name] = f"error: {unexpected!r}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=("one", "10:00", "14:30", 0)),
        threading.Thread(target=writer, args=("two", "14:00", "10:30", 1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    outcomes = sorted(map(str, seen.values()))
    assert len(seen) == 2 and "committed" in outcomes, seen
    loser = next(v for v in seen.values() if isinstance(v, SlotTaken))
    assert loser.__cause__.__cause__.sqlstate == "40P01"  # deadlock_detected
    assert Appointment.objects.count() == 2 and overlapping_pairs() == 0
