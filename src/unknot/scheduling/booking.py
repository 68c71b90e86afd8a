"""Booking rules as pure checks: may this start be booked, may this booking be changed?

`check_bookable` applies exactly the rules `available_slots` applies, one at a time, so a
refusal can name the first rule broken. Order: notice, horizon, grid, clinic, therapist
hours, time off, busy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from .availability import booking_window
from .grid import on_grid
from .intervals import contains, merge, overlaps
from .localtime import local_date, wall_of
from .model import AppointmentType, Busy, ClinicCalendar, TherapistSchedule, as_utc
from .working import blocked, clinic_open, ensure_same_clinic, scheduled, time_off


class Reason(StrEnum):
    TOO_SOON = "too_soon"
    BEYOND_HORIZON = "beyond_horizon"
    OFF_GRID = "off_grid"
    CLINIC_CLOSED = "clinic_closed"
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    NOT_WORKING = "therapist_not_working"
    TIME_OFF = "therapist_time_off"
    BUSY = "therapist_busy"
    CHANGE_TOO_LATE = "change_too_late"


@dataclass(frozen=True)
class Verdict:
    """`reason is None` means allowed; otherwise a stable code and a sentence for people."""

    reason: Reason | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None


ALLOWED = Verdict()


@dataclass(frozen=True)
class _Request:
    start: datetime
    end: datetime
    day: date
    tz: ZoneInfo
    clinic: ClinicCalendar
    appointment_type: AppointmentType
    schedule: TherapistSchedule
    busy: tuple[Busy, ...]
    now: datetime


def check_bookable(
    start_utc: datetime,
    *,
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedule: TherapistSchedule,
    busy: Iterable[Busy],
    now: datetime,
    enforce_grid: bool = True,
) -> Verdict:
    """Whether `schedule`'s therapist can take `appointment_type` at `start_utc`.

    `busy` must not contain the appointment being moved, or it would collide with itself.
    Staff may book off the grid with `enforce_grid=False`; every other rule still holds.
    """
    ensure_same_clinic(clinic, schedule)
    start = as_utc(start_utc, "start")
    tz = clinic.tz
    request = _Request(
        start=start,
        end=start + appointment_type.duration,
        day=local_date(start, tz),
        tz=tz,
        clinic=clinic,
        appointment_type=appointment_type,
        schedule=schedule,
        busy=tuple(busy),
        now=as_utc(now, "now"),
    )
    checks = _CHECKS if enforce_grid else tuple(c for c in _CHECKS if c is not _grid)
    for check in checks:
        verdict = check(request)
        if verdict is not None:
            return verdict
    return ALLOWED


def check_change(
    start_utc: datetime, *, appointment_type: AppointmentType, now: datetime
) -> Verdict:
    """Cancelling or moving is allowed only while start - now >= the type's change notice."""
    if as_utc(start_utc, "start") - as_utc(now, "now") >= appointment_type.change_notice:
        return ALLOWED
    hours = appointment_type.change_notice.total_seconds() / 3600
    return Verdict(
        Reason.CHANGE_TOO_LATE,
        f"Appointments can be changed or cancelled up to {hours:g} hours before they start; "
        "please call the clinic.",
    )


# People read these reasons: US style, as unknot.clinics.times writes dates and times (this
# layer sits below it and keeps its own three small formatters, in the same formats).
def us_date(day: date) -> str:
    """ "Dec 7, 2026"."""
    return f"{day:%b} {day.day}, {day.year}"


def _clock(instant: datetime, tz: ZoneInfo) -> str:
    """ "2:05 PM MST": the clinic's wall clock, 12-hour, its zone named."""
    local = instant.astimezone(tz)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'} {local.tzname()}"


def _local(instant: datetime, tz: ZoneInfo) -> str:
    """ "Mon, Dec 7, 2026, 2:05 PM MST"."""
    return f"{wall_of(instant, tz):%a}, {us_date(local_date(instant, tz))}, {_clock(instant, tz)}"


def _notice(r: _Request) -> Verdict | None:
    earliest = r.now + r.appointment_type.min_notice
    if r.start >= earliest:
        return None
    return Verdict(Reason.TOO_SOON, f"The earliest start you can book is {_local(earliest, r.tz)}.")


def _horizon(r: _Request) -> Verdict | None:
    window = booking_window(r.clinic, r.appointment_type, r.day, r.day, r.now)
    if r.day <= window.last_day:
        return None
    return Verdict(
        Reason.BEYOND_HORIZON,
        f"Bookings open {r.appointment_type.horizon_days} days ahead; "
        f"the last bookable date is {us_date(window.last_day)}.",
    )


def _grid(r: _Request) -> Verdict | None:
    if on_grid(r.start, r.tz, r.appointment_type.step):
        return None
    minutes = r.appointment_type.step.total_seconds() / 60
    return Verdict(Reason.OFF_GRID, f"Appointments start every {minutes:g} minutes.")


def _clinic(r: _Request) -> Verdict | None:
    closure = r.clinic.closure_on(r.day)
    if closure is not None:
        why = f" ({closure.reason})" if closure.reason else ""
        return Verdict(Reason.CLINIC_CLOSED, f"The clinic is closed on {us_date(r.day)}{why}.")
    if contains(clinic_open(r.clinic, [r.day]), r.start, r.end):
        return None
    return Verdict(
        Reason.OUTSIDE_OPENING_HOURS,
        f"The clinic is not open for the whole of {_local(r.start, r.tz)} to "
        f"{_clock(r.end, r.tz)}.",
    )


def _working(r: _Request) -> Verdict | None:
    if contains(scheduled(r.schedule, r.tz, [r.day]), r.start, r.end):
        return None
    return Verdict(Reason.NOT_WORKING, "The therapist does not work at this clinic then.")


def _time_off(r: _Request) -> Verdict | None:
    if not overlaps(time_off(r.schedule, r.tz), r.start, r.end):
        return None
    return Verdict(Reason.TIME_OFF, "The therapist is away then.")


def _busy(r: _Request) -> Verdict | None:
    grown = blocked(r.busy, r.schedule.therapist_id, r.appointment_type)
    if not overlaps(merge(grown), r.start, r.end):
        return None
    return Verdict(Reason.BUSY, "The therapist already has an appointment then.")


_CHECKS: tuple[Callable[[_Request], Verdict | None], ...] = (
    _notice,
    _horizon,
    _grid,
    _clinic,
    _working,
    _time_off,
    _busy,
)
