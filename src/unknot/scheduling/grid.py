"""The slot grid: starts at local wall-clock multiples of the step, counted from midnight.

Counting from local midnight (rather than from each working interval) keeps starts on the
round times patients expect (:00, :15, ...) and stable when hours, time off or bookings
change. On DST days the grid stays on the wall clock: after a spring-forward jump the next
start is the next grid time that exists; in a fall-back fold both passes carry grid times.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .intervals import Span
from .localtime import transition_between, wall_of

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
    """Grid starts whose [start, start + duration) fits inside one free span."""
    for span in free:
        start = grid_at_or_after(max(span.start, earliest), tz, step)
        while start + duration <= span.end:
            yield start
            start = grid_at_or_after(start + _TICK, tz, step)
