"""Availability for 20 therapists x 28 days: ours, django-appointment's, and one raw SQL fetch.

All three read the same ~2,000 visits from the same PostgreSQL database in the same run, so the
ratios compare like with like; each time is the median of several repetitions.
"""

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.data import DAYS, Practiced
from unknot.booking import selectors

# The same busy intervals our adapter asks for, written by hand: the floor for any ORM reader.
RAW_BUSY = """
    SELECT therapist_id, blocked_start, blocked_end FROM booking_appointment
     WHERE therapist_id = ANY(%s) AND blocked_end > %s AND blocked_start < %s
       AND status <> 'cancelled' AND NOT (status = 'held' AND hold_expires_at <= %s)
"""


@dataclass
class Measured:
    seconds: float  # median
    queries: int
    result_size: int


def median_time(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(run: Callable[[], Any], repeat: int) -> Measured:
    with CaptureQueriesContext(connection) as captured:  # counted once, timed without capture
        size = len(run())
    return Measured(median_time(run, repeat), len(captured), size)


def ours(p: Practiced, therapists: int = 20, days: int = DAYS) -> Callable[[], Any]:
    clinic = selectors.clinic_for_calendar(p.clinic.slug)  # as the API view gets it
    last = p.first_day + dt.timedelta(days=days - 1)

    def run() -> Any:
        return selectors.availability(
            clinic=clinic,
            appointment_type=p.kind,
            therapist_ids=p.therapist_ids[:therapists],
            first_day=p.first_day,
            last_day=last,
            now=timezone.now(),
        )

    return run


def peer(p: Practiced) -> Callable[[], Any]:
    """django-appointment's own per-staff-member, per-date slot function, for every pair."""
    from appointment.services import get_available_slots_for_staff
    from appointment.utils.db_helpers import get_weekday_num_from_date

    days = [p.first_day + dt.timedelta(days=n) for n in range(DAYS)]

    def run() -> Any:
        found = []
        for staff in p.peer_staff:
            for day in days:
                weekday = get_weekday_num_from_date(day)
                found += get_available_slots_for_staff(day, staff, weekday, service=p.peer_service)
        return found

    return run


def raw(p: Practiced, dsn: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    """One psycopg round trip for the busy intervals, on a connection kept open like Django's."""
    conn = psycopg.connect(dsn)
    start = dt.datetime.combine(p.first_day - dt.timedelta(days=2), dt.time(), dt.UTC)
    end = dt.datetime.combine(p.first_day + dt.timedelta(days=DAYS + 2), dt.time(), dt.UTC)

    def run() -> Any:
        with conn.cursor() as cursor:
            cursor.execute(RAW_BUSY, (p.therapist_ids, start, end, timezone.now()))
            return cursor.fetchall()

    return run, conn.close


def query_counts(p: Practiced) -> dict[str, int]:
    """Our query count for 5 and 20 therapists, 7 and 28 days: it must not move."""
    counts = {}
    for therapists in (5, 20):
        for days in (7, DAYS):
            selector = ours(p, therapists, days)
            with CaptureQueriesContext(connection) as captured:
                selector()
            counts[f"{therapists}x{days}"] = len(captured)
    return counts


@dataclass
class Report:
    ours: Measured
    peer: Measured
    raw: Measured
    counts: dict[str, int]


def run(p: Practiced, dsn: str, repeat: int = 15, peer_repeat: int = 3) -> Report:
    ours_run = ours(p)
    ours_run()  # warm: imports, zoneinfo caches, the connection
    raw_run, close = raw(p, dsn)
    try:
        raw_run()
        raw_measured = Measured(median_time(raw_run, repeat), 1, len(raw_run()))
    finally:
        close()
    return Report(
        ours=measure(ours_run, repeat),
        peer=measure(peer(p), peer_repeat),
        raw=raw_measured,
        counts=query_counts(p),
    )
