"""The slot grid: starts at local wall-clock multiples of the step, counted from midnight.

Counting from local midnight (rather than from each working interval) keeps starts on the
round times patients expect (:00, :15, ...) and stable when hours, time off or bookings
change. On DST days the grid stays on the wall clock: after a spring-forward jump the next
start is the next grid time that exists; in a fall-back fold both passes carry grid times.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .intervals import Span
from .localtime import local_date, midnight_utc, transition_between, wall_of

_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)  # "strictly after" for the grid walk


def ceil_wall(wall: datetime, step: timedelta) -> datetime:
    """The first grid wall time at or after `wall` (next midnight if the day runs out)."""
    midnight = datetime.combine(wall.date(), time())
    steps = -((midnight - wall) // step)  # ceiling division of timedeltas
    return min(midnight + steps * step, midnight + _DAY)


def on_grid(instant: datetime, tz: ZoneInfo, step: timedelta) -> bool:
    wall = wall_of(instant, tz)
    return ceil_wall(wall, step) == wall


def grid_at_or_after(instant: datetime, tz: ZoneInfo, step: timedelta) -> datetime:
    """The first instant at or after `instant` whose wall-clock reading is on the grid."""
    while True:
        wall = wall_of(instant, tz)
        # Assume the offset holds until the next grid time; check that it did.
        candidate = instant + (ceil_wall(wall, step) - wall)
        if _offset(candidate, tz) == _offset(instant, tz):
            return candidate
        # The clocks changed first (a gap skipped grid times, or a fold repeats some):
        # the grid continues from the change on the new wall clock.
        instant = transition_between(instant, candidate, tz)


def _offset(instant: datetime, tz: ZoneInfo) -> timedelta | None:
    return instant.astimezone(tz).utcoffset()


def grid_starts(
    free: Sequence[Span],
    tz: ZoneInfo,
    step: timedelta,
    duration: timedelta,
    earliest: datetime,
) -> Iterator[datetime]:
    """Grid starts whose [start, start + duration) fits inside one free span.

    The step-by-step walk, one zone lookup per start. `available_slots` takes its starts
    from `grid_instants` instead; the tests hold the two to the same answers.
    """
    for span in free:
        start = grid_at_or_after(max(span.start, earliest), tz, step)
        while start + duration <= span.end:
            yield start
            start = grid_at_or_after(start + _TICK, tz, step)


def grid_instants(days: Iterable[date], tz: ZoneInfo, step: timedelta) -> list[datetime]:
    """Every grid instant whose local date is one of `days`, sorted and unique.

    Computed once per search and shared by every therapist. A day whose wall clock runs
    straight from midnight to midnight (24 hours, one UTC offset) is a plain run of UTC
    instants `step` apart, with no zone lookup per start; a DST day is walked with
    `grid_at_or_after`, which knows about gaps and folds.
    """
    found: list[datetime] = []
    plain = True
    per_day = -(-_DAY // step)  # wall times midnight + k * step before the next midnight
    offsets = [k * step for k in range(per_day)]
    for day in days:
        start, end = midnight_utc(day, tz), midnight_utc(day + _DAY, tz)
        if _straight_day(day, start, end, tz):
            found += [start + offset for offset in offsets]
        else:
            plain = False
            found += _walk_day(day, start, end, tz, step)
    return found if plain else sorted(set(found))


def _straight_day(day: date, start: datetime, end: datetime, tz: ZoneInfo) -> bool:
    """24 hours from a real local midnight with no change of offset inside."""
    if end - start != _DAY or wall_of(start, tz) != datetime.combine(day, time()):
        return False
    return _offset(start, tz) == _offset(end - _TICK, tz)


def _walk_day(
    day: date, start: datetime, end: datetime, tz: ZoneInfo, step: timedelta
) -> list[datetime]:
    # Some slack either side: the instants of a DST day need not sit between its midnights.
    slack = timedelta(hours=3)
    instant, stop = grid_at_or_after(start - slack, tz, step), end + slack
    found = []
    while instant < stop:
        if local_date(instant, tz) == day:
            found.append(instant)
        instant = grid_at_or_after(instant + _TICK, tz, step)
    return found
