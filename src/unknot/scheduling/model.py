"""Value objects the scheduling core takes in and gives back.

The Django side maps rows into these; nothing here knows about storage. Wall-clock values
(`time`, naive `datetime`) are read in the clinic's IANA zone; instants are aware and are
normalised to UTC on construction so comparisons never depend on the caller's tzinfo.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TherapistId = int | str
ClinicId = int | str


def as_utc(value: datetime, name: str = "instant") -> datetime:
    """Return `value` in UTC; refuse naive values, which would silently mean "server time"."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC)


@dataclass(frozen=True, order=True)
class TimeRange:
    """A wall-clock interval inside one local day, [start, end).

    Overnight ranges are not supported; use `time.max` as the end for "until midnight".
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("wall-clock times must be naive")
        if not self.start < self.end:
            raise ValueError(f"time range must end after it starts: {self.start}-{self.end}")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """`TimeRange.parse("09:00-12:30")`; handy in fixtures and admin input."""
        start, end = text.split("-")
        return cls(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))


RangeLike = TimeRange | tuple[time, time] | str


def ranges(items: Iterable[RangeLike]) -> tuple[TimeRange, ...]:
    """Normalise ranges given as TimeRange, (start, end) pairs or "HH:MM-HH:MM" strings."""
    out = []
    for item in items:
        if isinstance(item, TimeRange):
            out.append(item)
        elif isinstance(item, str):
            out.append(TimeRange.parse(item))
        else:
            out.append(TimeRange(*item))
    return tuple(sorted(out))


@dataclass(frozen=True)
class WeeklyHours:
    """Recurring hours: seven tuples of ranges, Monday first (`date.weekday()` numbering).

    Several ranges on one day model breaks; an empty tuple means no hours that weekday.
    """

    days: tuple[tuple[TimeRange, ...], ...] = ((),) * 7

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("weekly hours need exactly seven days, Monday first")

    @classmethod
    def from_mapping(cls, mapping: Mapping[int, Iterable[RangeLike]]) -> WeeklyHours:
        if any(day not in range(7) for day in mapping):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return cls(tuple(ranges(mapping.get(day, ())) for day in range(7)))

    @classmethod
    def same_on(cls, weekdays: Iterable[int], *items: RangeLike) -> WeeklyHours:
        """The same hours on each of `weekdays`, e.g. `same_on(range(5), "09:00-17:00")`."""
        return cls.from_mapping(dict.fromkeys(weekdays, items))

    def on(self, weekday: int) -> tuple[TimeRange, ...]:
        return self.days[weekday]


@dataclass(frozen=True)
class DateOverride:
    """Replaces the weekly hours on one local date; empty `hours` means none that day."""

    day: date
    hours: tuple[TimeRange, ...] = ()


def _overrides_by_day(overrides: tuple[DateOverride, ...]) -> dict[date, tuple[TimeRange, ...]]:
    by_day: dict[date, tuple[TimeRange, ...]] = {}
    for override in overrides:
        if override.day in by_day:
            raise ValueError(f"two overrides for {override.day}")
        by_day[override.day] = tuple(sorted(override.hours))
    return by_day


@dataclass(frozen=True)
class TimeOff:
    """A therapist's absence. Naive datetimes are clinic wall clock; aware ones are instants.

    With `whole_day`, only the dates matter: it covers local midnight of `start`'s date up to
    local midnight after `end`'s date (both dates inclusive).
    """

    start: datetime
    end: datetime
    whole_day: bool = False

    def __post_init__(self) -> None:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("time off start and end must both be naive or both aware")
        if self.whole_day and self.end.date() < self.start.date():
            raise ValueError("time off must not end before it starts")
        if not self.whole_day and not self.start < self.end:
            raise ValueError("partial time off must end after it starts")

    @classmethod
    def days(cls, first: date, last: date | None = None) -> TimeOff:
        """Whole local days `first` .. `last` (inclusive)."""
        midnight = time()
        end = last or first
        return cls(datetime.combine(first, midnight), datetime.combine(end, midnight), True)


@dataclass(frozen=True)
class Closure:
    """Whole local days the clinic is closed, `first` .. `last` inclusive."""

    first: date
    last: date | None = None
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= (self.last or self.first)


@dataclass(frozen=True)
class ClinicCalendar:
    clinic_id: ClinicId
    tz_name: str
    opening: WeeklyHours
    closures: tuple[Closure, ...] = ()
    overrides: tuple[DateOverride, ...] = ()

    def __post_init__(self) -> None:
        # Fail on construction, not deep inside a slot search.
        try:
            ZoneInfo(self.tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz_name!r}") from exc
        _overrides_by_day(self.overrides)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)  # ZoneInfo caches instances per key

    @cached_property
    def _override_map(self) -> dict[date, tuple[TimeRange, ...]]:
        return _overrides_by_day(self.overrides)

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def hours_on(self, day: date) -> tuple[TimeRange, ...]:
        """Opening hours on a local date: closures win over overrides, which win over weekly."""
        if self.closure_on(day) is not None:
            return ()
        return self._override_map.get(day, self.opening.on(day.weekday()))


@dataclass(frozen=True)
class TherapistSchedule:
    """When one therapist works at one clinic (a therapist at two clinics has two schedules)."""

    therapist_id: TherapistId
    clinic_id: ClinicId
    weekly: WeeklyHours
    overrides: tuple[DateOverride, ...] = ()
    time_off: tuple[TimeOff, ...] = ()

    def __post_init__(self) -> None:
        _overrides_by_day(self.overrides)

    @cached_property
    def _override_map(self) -> dict[date, tuple[TimeRange, ...]]:
        return _overrides_by_day(self.overrides)

    def hours_on(self, day: date) -> tuple[TimeRange, ...]:
        return self._override_map.get(day, self.weekly.on(day.weekday()))


_ZERO = timedelta(0)


@dataclass(frozen=True)
class AppointmentType:
    """How an appointment of this kind is booked.

    `horizon_days`: a start may fall on any local date up to today + horizon_days (clinic
    zone). `step`: slot starts sit on a wall-clock grid counted from local midnight.
    `change_notice`: how long before the start a patient may still cancel or move.
    """

    type_id: int | str
    duration: timedelta
    buffer_before: timedelta = _ZERO
    buffer_after: timedelta = _ZERO
    min_notice: timedelta = _ZERO
    horizon_days: int = 60
    step: timedelta = timedelta(minutes=15)
    change_notice: timedelta = timedelta(hours=24)

    def __post_init__(self) -> None:
        if self.duration <= _ZERO or self.step <= _ZERO:
            raise ValueError("duration and step must be positive")
        if min(self.buffer_before, self.buffer_after, self.min_notice, self.change_notice) < _ZERO:
            raise ValueError("buffers and notices must not be negative")
        if self.horizon_days < 0:
            raise ValueError("horizon must not be negative")


@dataclass(frozen=True)
class Busy:
    """Time a therapist is blocked, in UTC, already including the blocking event's buffers.

    Build appointment rows with `Busy.for_appointment` so their own buffers are applied;
    other blocks (meetings, home visits) are used as they are.
    """

    therapist_id: TherapistId
    start_utc: datetime
    end_utc: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_utc", as_utc(self.start_utc, "busy start"))
        object.__setattr__(self, "end_utc", as_utc(self.end_utc, "busy end"))
        if not self.start_utc < self.end_utc:
            raise ValueError("busy interval must end after it starts")

    @classmethod
    def for_appointment(
        cls, therapist_id: TherapistId, start_utc: datetime, appointment_type: AppointmentType
    ) -> Busy:
        start = as_utc(start_utc, "appointment start")
        return cls(
            therapist_id,
            start - appointment_type.buffer_before,
            start + appointment_type.duration + appointment_type.buffer_after,
        )


@dataclass(frozen=True)
class Slot:
    """A bookable start; `therapist_ids` are those free at it, in the order schedules came in."""

    start_utc: datetime
    end_utc: datetime
    therapist_ids: tuple[TherapistId, ...]


def new_slots(
    starts: Iterable[datetime], free: Iterable[list[TherapistId]], duration: timedelta
) -> tuple[Slot, ...]:
    """A `Slot` for each start whose list of free therapists is not empty.

    The hot end of a search builds hundreds of these from values the core has just
    computed, so it skips the dataclass `__init__`; the fields are set exactly as it would
    set them, so each is equal to (and hashes like) `Slot(start, start + duration, ids)`.
    """
    new = object.__new__
    found = []
    for start, ids in zip(starts, free, strict=True):
        if ids:
            slot = new(Slot)
            slot.__dict__.update(
                start_utc=start, end_utc=start + duration, therapist_ids=tuple(ids)
            )
            found.append(slot)
    return tuple(found)


BusyRow = tuple[TherapistId, datetime, datetime]
"""Busy time as a plain row, `(therapist_id, start_utc, end_utc)`: what a database hands back.

`available_slots` takes these as well as `Busy` objects, so a search over thousands of
rows need not build an object per row; each row obeys the same rules as `Busy(...)`.
"""


def busy_parts(item: Busy | BusyRow) -> BusyRow:
    """`(therapist_id, start_utc, end_utc)` of a `Busy` or of a row, checked as `Busy` checks.

    A row already in UTC (`tzinfo is UTC`) and in order is returned as it is; any other
    row goes through `Busy(...)`, which normalises it or refuses it.
    """
    if type(item) is tuple:
        therapist_id, start, end = item
        if start.tzinfo is UTC and end.tzinfo is UTC and start < end:
            return item
        item = Busy(therapist_id, start, end)
    assert isinstance(item, Busy)
    return item.therapist_id, item.start_utc, item.end_utc
