"""Small constructors shared by the scheduling tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from unknot.scheduling import (
    AppointmentType,
    ClinicCalendar,
    Slot,
    TherapistSchedule,
    WeeklyHours,
    available_slots,
    wall_of,
)
from unknot.scheduling.model import Busy, Closure, DateOverride, TimeOff

EVERY_DAY = range(7)
WEEKDAYS = range(5)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz_name: str, *args: int, fold: int = 0) -> datetime:
    """An aware instant from a local wall time (fold picks the pass in a DST fold)."""
    return datetime(*args, tzinfo=ZoneInfo(tz_name), fold=fold).astimezone(UTC)


def clinic(
    tz_name: str = "Europe/London",
    *hours: str,
    closures: tuple[Closure, ...] = (),
    overrides: tuple[DateOverride, ...] = (),
    weekdays: range = EVERY_DAY,
) -> ClinicCalendar:
    opening = WeeklyHours.same_on(weekdays, *(hours or ("07:00-20:00",)))
    return ClinicCalendar("c1", tz_name, opening, closures, overrides)


def therapist(
    tid: int | str = "t1",
    *hours: str,
    overrides: tuple[DateOverride, ...] = (),
    time_off: tuple[TimeOff, ...] = (),
    weekdays: range = EVERY_DAY,
) -> TherapistSchedule:
    weekly = WeeklyHours.same_on(weekdays, *(hours or ("09:00-17:00",)))
    return TherapistSchedule(tid, "c1", weekly, overrides, time_off)


def appt(
    duration: int = 30,
    step: int = 15,
    before: int = 0,
    after: int = 0,
    notice: timedelta = timedelta(0),
    horizon: int = 100_000,
) -> AppointmentType:
    return AppointmentType(
        "visit",
        minutes(duration),
        buffer_before=minutes(before),
        buffer_after=minutes(after),
        min_notice=notice,
        horizon_days=horizon,
        step=minutes(step),
    )


def slots(
    cal: ClinicCalendar,
    kind: AppointmentType,
    schedules: list[TherapistSchedule],
    first: date,
    last: date | None = None,
    busy: tuple[Busy, ...] = (),
    now: datetime = LONG_AGO,
) -> tuple[Slot, ...]:
    return available_slots(
        clinic=cal,
        appointment_type=kind,
        schedules=schedules,
        busy=busy,
        first_day=first,
        last_day=last or first,
        now=now,
    )


def walls(found: tuple[Slot, ...], tz_name: str) -> list[str]:
    """Slot starts as local "HH:MM" (with the UTC offset where it helps on DST days)."""
    tz = ZoneInfo(tz_name)
    return [f"{wall_of(s.start_utc, tz):%H:%M}" for s in found]
