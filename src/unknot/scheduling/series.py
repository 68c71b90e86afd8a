"""A series of visits (e.g. twice a week for six weeks), checked all at once.

The Django side reserves a series in one transaction, all or none; this module says which
visits are wanted and, for each that cannot be booked, why, with the nearest free start on
the same local day as an alternative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .availability import available_slots
from .booking import Reason, check_bookable
from .localtime import local_date, to_utc
from .model import AppointmentType, Busy, ClinicCalendar, Slot, TherapistSchedule

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class SeriesPattern:
    """Visits on `weekdays` (0 = Monday) at `local_time`, from `first_day` on.

    The series ends after `visits` visits or after `weeks` weeks counted from `first_day`
    (dates before first_day + 7 * weeks), whichever comes first; at least one is required.
    """

    first_day: date
    weekdays: tuple[int, ...]
    local_time: time
    weeks: int | None = None
    visits: int | None = None

    def __post_init__(self) -> None:
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise ValueError("weekdays must be a non-empty selection of 0 (Monday) .. 6")
        if self.weeks is None and self.visits is None:
            raise ValueError("a series needs a number of weeks or of visits")
        if min(n for n in (self.weeks, self.visits) if n is not None) < 1:
            raise ValueError("weeks and visits must be positive")


@dataclass(frozen=True)
class Conflict:
    day: date
    wanted_utc: datetime
    reason: Reason
    message: str
    alternative: Slot | None = None


@dataclass(frozen=True)
class SeriesPlan:
    """All wanted starts (UTC, in order) and the ones that cannot be booked."""

    visits: tuple[datetime, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def ok(self) -> bool:
        return not self.conflicts


def wanted_days(pattern: SeriesPattern) -> Iterator[date]:
    """The local dates of the visits, in order."""
    end = pattern.first_day + timedelta(weeks=pattern.weeks) if pattern.weeks else None
    count, day = 0, pattern.first_day
    while (end is None or day < end) and (pattern.visits is None or count < pattern.visits):
        if day.weekday() in pattern.weekdays:
            count += 1
            yield day
        day += _DAY


def visit_starts(pattern: SeriesPattern, tz: ZoneInfo) -> tuple[datetime, ...]:
    """The visits' starts in UTC, in order: each wanted day at the pattern's local time."""
    return tuple(
        to_utc(datetime.combine(day, pattern.local_time), tz) for day in wanted_days(pattern)
    )


def plan_series(
    pattern: SeriesPattern,
    *,
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedule: TherapistSchedule,
    busy: Iterable[Busy],
    now: datetime,
    enforce_grid: bool = True,
) -> SeriesPlan:
    """Check every visit of the series with the booking rules; name each conflict.

    A preferred time that falls in a spring-forward gap moves to the moment the clocks jump
    (see localtime). Alternatives come from the same availability search the booking
    pages use, so they respect every rule.
    """
    busy = tuple(busy)
    days = list(wanted_days(pattern))
    visits = visit_starts(pattern, clinic.tz)
    conflicts = []
    for day, start in zip(days, visits, strict=True):
        verdict = check_bookable(
            start,
            clinic=clinic,
            appointment_type=appointment_type,
            schedule=schedule,
            busy=busy,
            now=now,
            enforce_grid=enforce_grid,
        )
        if verdict.reason is not None:
            conflicts.append(Conflict(day, start, verdict.reason, verdict.message))
    if conflicts:
        conflicts = _with_alternatives(conflicts, clinic, appointment_type, schedule, busy, now)
    return SeriesPlan(visits, tuple(conflicts))


def _with_alternatives(
    conflicts: Sequence[Conflict],
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedule: TherapistSchedule,
    busy: Sequence[Busy],
    now: datetime,
) -> list[Conflict]:
    # One availability search over the whole series span, then a lookup per conflict day.
    slots = available_slots(
        clinic=clinic,
        appointment_type=appointment_type,
        schedules=[schedule],
        busy=busy,
        first_day=conflicts[0].day,
        last_day=conflicts[-1].day,
        now=now,
    )
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[local_date(slot.start_utc, clinic.tz)].append(slot)
    return [
        Conflict(c.day, c.wanted_utc, c.reason, c.message, nearest(by_day[c.day], c.wanted_utc))
        for c in conflicts
    ]


def nearest(slots: Sequence[Slot], wanted: datetime) -> Slot | None:
    """The slot starting closest to `wanted`; the earlier one on a tie."""
    if not slots:
        return None
    return min(slots, key=lambda s: (abs(s.start_utc - wanted), s.start_utc))
