"""Opening hours as the public pages show them: per weekday, in the clinic's own zone."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from unknot.clinics import times
from unknot.clinics.models import Closure, OpeningHours, Weekday


@dataclass(frozen=True)
class DayHours:
    weekday: str
    intervals: tuple[str, ...]  # e.g. ("8:00 AM–12:00 PM", "1:00 PM–6:00 PM"); empty: closed
    is_today: bool


def weekly_hours(rows: Iterable[OpeningHours], today: dt.date) -> list[DayHours]:
    by_day: dict[int, list[str]] = {day: [] for day in Weekday.values}
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens)):
        opens, closes = times.wall_clock_label(row.opens), times.wall_clock_label(row.closes)
        by_day[row.weekday].append(f"{opens}–{closes}")
    return [
        DayHours(Weekday(day).label, tuple(by_day[day]), day == today.weekday())
        for day in Weekday.values
    ]


def local_now(time_zone: str, now_utc: dt.datetime) -> dt.datetime:
    return now_utc.astimezone(zoneinfo.ZoneInfo(time_zone))


def is_closed_on(closures: Iterable[Closure], day: dt.date) -> Closure | None:
    return next((c for c in closures if c.start_date <= day <= c.end_date), None)


def is_open_at(
    rows: Iterable[OpeningHours], closures: Iterable[Closure], local: dt.datetime
) -> bool:
    if is_closed_on(closures, local.date()):
        return False
    wall = local.time()
    return any(r.weekday == local.weekday() and r.opens <= wall < r.closes for r in rows)


def upcoming_closures(closures: Iterable[Closure], today: dt.date, days: int = 60) -> list[Closure]:
    horizon = today + dt.timedelta(days=days)
    return [c for c in closures if c.end_date >= today and c.start_date <= horizon]
