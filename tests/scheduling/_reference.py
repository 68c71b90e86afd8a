"""A slow, obviously correct availability search to hold the fast sweep to.

It looks at every minute of the range on its own: is the clinic open, does the therapist
work, are they away? Then every minute whose wall clock is on the grid is tried as a start:
all of its minutes must be usable and its buffered span must miss every busy interval. The
only thing it shares with the core is `to_utc`, the DST policy for rule boundaries, which
test_localtime pins down separately. Inputs must use whole minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from unknot.scheduling import (
    AppointmentType,
    Busy,
    ClinicCalendar,
    TherapistSchedule,
    TimeOff,
    TimeRange,
    to_utc,
    wall_of,
)

MINUTE = timedelta(minutes=1)
Pair = tuple[datetime, datetime]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _rule_pairs(days: list[date], hours_on, tz) -> list[Pair]:  # type: ignore[no-untyped-def]
    pairs = []
    for day in days:
        rng: TimeRange
        for rng in hours_on(day):
            start = datetime.combine(day, rng.start)
            pairs.append((to_utc(start, tz), to_utc(datetime.combine(day, rng.end), tz)))
    return pairs


def _off_pair(off: TimeOff, tz) -> Pair:  # type: ignore[no-untyped-def]
    if off.whole_day:
        first = off.start.date() if off.start.tzinfo is None else wall_of(off.start, tz).date()
        last = off.end.date() if off.end.tzinfo is None else wall_of(off.end, tz).date()
        return (
            to_utc(datetime.combine(first, time()), tz),
            to_utc(datetime.combine(last + timedelta(days=1), time()), tz),
        )
    if off.start.tzinfo is None:
        return to_utc(off.start, tz), to_utc(off.end, tz)
    return off.start.astimezone(UTC), off.end.astimezone(UTC)


def _inside(pairs: Iterable[Pair], minute: datetime) -> bool:
    return any(a <= minute < b for a, b in pairs)


def reference_starts(
    clinic: ClinicCalendar,
    kind: AppointmentType,
    schedule: TherapistSchedule,
    busy: Iterable[Busy],
    first_day: date,
    last_day: date,
    now: datetime,
) -> list[datetime]:
    tz = clinic.tz
    days = _days(first_day, last_day)
    opened = _rule_pairs(days, clinic.hours_on, tz)
    works = _rule_pairs(days, schedule.hours_on, tz)
    away = [_off_pair(off, tz) for off in schedule.time_off]
    taken = [(b.start_utc, b.end_utc) for b in busy if b.therapist_id == schedule.therapist_id]

    lo = to_utc(datetime.combine(first_day, time()), tz) - timedelta(hours=3)
    hi = to_utc(datetime.combine(last_day + timedelta(days=1), time()), tz) + timedelta(hours=3)
    usable = set()
    minute = lo
    while minute < hi:
        if _inside(opened, minute) and _inside(works, minute) and not _inside(away, minute):
            usable.add(minute)
        minute += MINUTE

    last_bookable = min(last_day, wall_of(now, tz).date() + timedelta(days=kind.horizon_days))
    starts = []
    start = lo
    while start < hi:
        wall = wall_of(start, tz)
        on_grid = (wall - datetime.combine(wall.date(), time())) % kind.step == timedelta(0)
        fits = all(start + i * MINUTE in usable for i in range(kind.duration // MINUTE))
        clear = not any(
            b0 < start + kind.duration + kind.buffer_after and start - kind.buffer_before < b1
            for b0, b1 in taken
        )
        in_window = first_day <= wall.date() <= last_bookable and start >= now + kind.min_notice
        if on_grid and in_window and fits and clear:
            starts.append(start)
        start += MINUTE
    return starts
