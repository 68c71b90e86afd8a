"""Fair use of the public calendar: how many live holds a visitor, an address and a
therapist's day may have (docs/booking.md, "Holds").

- **A visitor** (a browser session) holds one time at a time: a new hold lets go of the
  visitor's others.
- **An address** holds at most `BOOKING_HOLDS_PER_ADDRESS` times at once, across sessions.
- **A therapist's day**: live holds may take at most `BOOKING_HOLD_SHARE_PERCENT` of the
  therapist's free start times of that day (for the kind of visit held; the starts free if
  nobody held anything are the whole). A hold that is the only live one of that therapist
  and day is always allowed, so a day with few times left can still be booked.

`enforce` runs in the hold's own transaction, right after its row is written, so what it
counts includes the new hold; a refusal rolls the row back. On PostgreSQL it first takes
transaction-scoped advisory locks for the visitor, the address and the therapist's day, in
that order, so holds that could break a limit together are counted one after the other (a
statement after the lock sees every hold committed before it). SQLite's IMMEDIATE
transactions already write one at a time.
"""

import datetime as dt
import zlib

from django.conf import settings
from django.db import connection

from unknot.accounts.throttle import keyed_hash
from unknot.booking import adapters, selectors
from unknot.booking.errors import BusyNow, HoldsPerAddress
from unknot.booking.models import Appointment, Status

# First keys of the advisory locks (two-int form, apart from the audit chain's one-bigint lock).
LOCK_VISITOR, LOCK_ADDRESS, LOCK_DAY = 0x686F6C01, 0x686F6C02, 0x686F6C03


def first_hold_minutes() -> int:
    """How long a time is held until the person has sent their details."""
    return int(settings.BOOKING_FIRST_HOLD_MINUTES)


def holder_keys(visitor: str, address: str) -> tuple[str, str]:
    """The keyed hashes a hold stores for its visitor and address ("" for an unknown one)."""
    return (
        keyed_hash("hold-visitor", visitor) if visitor else "",
        keyed_hash("hold-address", address) if address else "",
    )


def enforce(hold: Appointment, now: dt.datetime) -> None:
    """Raises BookingError (and so undoes the hold) when the new hold breaks a limit."""
    day = hold.start.astimezone(adapters.zone(hold.clinic)).date()
    _lock(hold, day)
    live = Appointment.objects.filter(status=Status.HELD, hold_expires_at__gt=now).exclude(
        pk=hold.pk
    )
    if hold.hold_visitor:  # one hold per visitor: the new one replaces the others
        Appointment.objects.filter(status=Status.HELD, hold_visitor=hold.hold_visitor).exclude(
            pk=hold.pk
        ).delete()
    if hold.hold_address and (
        live.filter(hold_address=hold.hold_address).count() >= settings.BOOKING_HOLDS_PER_ADDRESS
    ):
        raise HoldsPerAddress()
    start, end = _day_bounds(hold, day)
    others = live.filter(therapist_id=hold.therapist_id, start__gte=start, start__lt=end)
    if others.exists():
        taken, whole = held_starts(hold, day, now)
        if taken * 100 > settings.BOOKING_HOLD_SHARE_PERCENT * whole:
            raise BusyNow()


def held_starts(hold: Appointment, day: dt.date, now: dt.datetime) -> tuple[int, int]:
    """(start times that live holds take, start times free if nobody held any) of the
    hold's therapist on `day`, for the hold's kind of visit."""

    def starts(holds: bool) -> int:
        return len(
            selectors.availability(
                clinic=hold.clinic,
                appointment_type=hold.appointment_type,
                therapist_ids=[hold.therapist_id],
                first_day=day,
                last_day=day,
                now=now,
                holds=holds,
            )
        )

    whole = starts(holds=False)
    return whole - starts(holds=True), whole


def _day_bounds(hold: Appointment, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = adapters.zone(hold.clinic)
    first = dt.datetime.combine(day, dt.time(), zone)
    return first, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)


def _lock(hold: Appointment, day: dt.date) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: this IMMEDIATE transaction already holds the database's write lock
    keys = [
        (LOCK_VISITOR, hold.hold_visitor),
        (LOCK_ADDRESS, hold.hold_address),
        (LOCK_DAY, f"{hold.therapist_id}:{day.isoformat()}"),
    ]
    with connection.cursor() as cursor:
        for first, text in keys:  # always in this order: no two holds wait for each other
            if text:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [first, _int4(text)])


def _int4(text: str) -> int:
    """A stable 32-bit signed key for `text` (a collision only makes two holds wait)."""
    return zlib.crc32(text.encode()) - 2**31
