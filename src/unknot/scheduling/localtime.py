"""Wall clock <-> UTC in a clinic's zone, with one policy for the daylight-saving edges.

- A wall time that does not exist (the spring-forward gap) resolves to the instant the
  clocks jump, i.e. the first instant that exists after it. A range that starts or ends in
  the gap is therefore clipped to the existing part; a range wholly inside it vanishes.
- A wall time that occurs twice (the fall-back fold) resolves to its first occurrence
  (`fold=0`, still on summer time). A range ending in the fold ends at that first pass.

Everything else in the core compares UTC instants only: Python compares two datetimes that
share a tzinfo by wall time and ignores `fold`, which would be wrong on fall-back days.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_DAY = timedelta(days=1)


def wall_of(instant: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock reading of an aware instant in `tz`."""
    return instant.astimezone(tz).replace(tzinfo=None)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """Resolve a naive wall time in `tz` to a UTC instant (gap -> jump, fold -> first)."""
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if wall_of(first, tz) == wall:
        return first
    return _jump_after(wall, tz)


def exists(wall: datetime, tz: ZoneInfo) -> bool:
    """False for wall times skipped by a forward jump of the clocks."""
    return wall_of(to_utc(wall, tz), tz) == wall


def _jump_after(wall: datetime, tz: ZoneInfo) -> datetime:
    # In a gap, fold=1 reads `wall` with the offset in force before the jump, giving an
    # instant before it, and fold=0 with the offset after, giving one after it.
    before = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    after = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return transition_between(before, after, tz)


def transition_between(lo: datetime, hi: datetime, tz: ZoneInfo) -> datetime:
    """The first instant in (lo, hi] whose UTC offset differs from lo's.

    zoneinfo does not expose its transitions, so bisect; they fall on whole seconds.
    Assumes the offset changes once in the window (windows here are a few hours at most).
    """
    offset = lo.astimezone(tz).utcoffset()
    low, high = math.floor(lo.timestamp()), math.ceil(hi.timestamp())
    while high - low > 1:
        mid = (low + high) // 2
        if datetime.fromtimestamp(mid, tz).utcoffset() == offset:
            low = mid
        else:
            high = mid
    return datetime.fromtimestamp(high, UTC)


def midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    """The instant local `day` begins (midnight itself may be skipped in some zones)."""
    return to_utc(datetime.combine(day, time()), tz)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of local `day` in UTC; 23, 24 or 25 hours long (or 23.5 on Lord Howe)."""
    return midnight_utc(day, tz), midnight_utc(day + _DAY, tz)
