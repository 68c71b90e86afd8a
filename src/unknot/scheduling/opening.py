"""Opening hours for the public pages: the weekly table, one week with closures, open now?

Times are shown as the clinic's own wall clock (the rules are written in it), so the table
reads the same on DST days; only "open now?" needs the instant, and takes `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .intervals import Span
from .localtime import local_date
from .model import ClinicCalendar, TimeRange, as_utc
from .working import clinic_open, days_between

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LOOKAHEAD = timedelta(days=14)  # "next opening" further away than this is not worth showing


@dataclass(frozen=True)
class DayHours:
    weekday: int
    name: str
    hours: tuple[TimeRange, ...]
    text: str
    day: date | None = None  # set when the row is for a specific date
    note: str = ""  # e.g. the closure reason or "special hours"


@dataclass(frozen=True)
class OpenNow:
    is_open: bool
    closes_at_utc: datetime | None = None
    next_opening_utc: datetime | None = None


def _clock(value: time) -> str:
    return "24:00" if value == time.max else f"{value:%H:%M}"


def format_hours(hours: Iterable[TimeRange]) -> str:
    """ "08:00-12:00, 13:00-18:00" (with en dashes), or "Closed"."""
    parts = [f"{_clock(r.start)}\N{EN DASH}{_clock(r.end)}" for r in hours]
    return ", ".join(parts) or "Closed"


def regular_hours(clinic: ClinicCalendar) -> tuple[DayHours, ...]:
    """The weekly table, Monday to Sunday, without closures or special dates."""
    return tuple(
        DayHours(weekday, WEEKDAY_NAMES[weekday], hours, format_hours(hours))
        for weekday, hours in enumerate(clinic.opening.days)
    )


def week_hours(clinic: ClinicCalendar, week_of: date) -> tuple[DayHours, ...]:
    """The seven days (Monday first) of the week containing `week_of`, closures applied."""
    monday = week_of - timedelta(days=week_of.weekday())
    return tuple(_day_row(clinic, day) for day in days_between(monday, monday + timedelta(6)))


def _day_row(clinic: ClinicCalendar, day: date) -> DayHours:
    hours = clinic.hours_on(day)
    closure = clinic.closure_on(day)
    note = ""
    if closure is not None:
        note = closure.reason or "Closed"
    elif hours != clinic.opening.on(day.weekday()):
        note = "Special hours"
    name = WEEKDAY_NAMES[day.weekday()]
    return DayHours(day.weekday(), name, hours, format_hours(hours), day, note)


def open_now(clinic: ClinicCalendar, now: datetime) -> OpenNow:
    """Whether the clinic is open at `now`, until when, or when it next opens."""
    instant = as_utc(now, "now")
    today = local_date(instant, clinic.tz)
    # From yesterday: a span of yesterday may still be running in odd DST cases.
    spans = clinic_open(clinic, days_between(today - timedelta(1), today + _LOOKAHEAD))
    current = _containing(spans, instant)
    if current is not None:
        return OpenNow(True, closes_at_utc=current.end)
    upcoming = next((s.start for s in spans if s.start > instant), None)
    return OpenNow(False, next_opening_utc=upcoming)


def _containing(spans: Iterable[Span], instant: datetime) -> Span | None:
    return next((s for s in spans if s.start <= instant < s.end), None)
