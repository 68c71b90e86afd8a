"""The portal's follow-up booking, day first: a month of days (weeks start on Sunday, as US
calendars do; the clinic's calendar), the days with a free time marked, then the chosen day's
times by part of the day.

Everything here works on the slots that one availability search over the month returned, so
a month costs the same handful of queries as a single day (`booking.selectors.availability`).
"""

import calendar
import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from unknot.scheduling import Slot, TherapistId

SUNDAY_FIRST = calendar.Calendar(firstweekday=calendar.SUNDAY)
NOON, FIVE_PM = dt.time(12), dt.time(17)


@dataclass(frozen=True)
class Window:
    """The clinic-local days a type may be booked on: today to today + its horizon."""

    first: dt.date
    last: dt.date

    @property
    def first_month(self) -> dt.date:
        return self.first.replace(day=1)

    @property
    def last_month(self) -> dt.date:
        return self.last.replace(day=1)

    def has_month(self, month: dt.date) -> bool:
        return self.first_month <= month <= self.last_month

    def has_day(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def window(today: dt.date, horizon_days: int) -> Window:
    return Window(today, today + dt.timedelta(days=horizon_days))


@dataclass(frozen=True)
class FreeTime:
    start: dt.datetime  # aware, in the clinic's zone
    therapist_id: TherapistId  # the first therapist free at it (the one a booking names)


@dataclass(frozen=True)
class Day:
    day: dt.date
    in_month: bool  # False: a day of the week before or after, shown empty
    free: int  # how many free times it has (0: not available)
    chosen: bool


@dataclass(frozen=True)
class Month:
    first: dt.date  # the 1st of the month
    weeks: tuple[tuple[Day, ...], ...]  # Sunday to Saturday
    previous: dt.date | None  # the 1st of the month before, when it has bookable days
    next: dt.date | None

    @property
    def has_free_days(self) -> bool:
        return any(d.free for week in self.weeks for d in week if d.in_month)


def days_searched(month: dt.date, bookable: Window) -> tuple[dt.date, dt.date] | None:
    """The month's days inside the window, as (first, last); None when there are none."""
    last_of_month = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    first, last = max(month, bookable.first), min(last_of_month, bookable.last)
    return (first, last) if first <= last else None


def free_times(
    slots: Iterable[Slot], zone: zoneinfo.ZoneInfo
) -> dict[dt.date, tuple[FreeTime, ...]]:
    """The free starts by the clinic-local day they fall on, earliest first."""
    by_day: dict[dt.date, list[FreeTime]] = defaultdict(list)
    for slot in slots:
        local = slot.start_utc.astimezone(zone)
        by_day[local.date()].append(FreeTime(local, slot.therapist_ids[0]))
    return {day: tuple(sorted(times, key=lambda t: t.start)) for day, times in by_day.items()}


def _step(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_view(
    month: dt.date,
    free: dict[dt.date, tuple[FreeTime, ...]],
    bookable: Window,
    chosen: dt.date | None = None,
) -> Month:
    """The month's weeks, each day with its count of free times; links to the months around
    it only where those have bookable days."""
    weeks = tuple(
        tuple(
            Day(day, day.month == month.month, len(free.get(day, ())), day == chosen)
            for day in week
        )
        for week in SUNDAY_FIRST.monthdatescalendar(month.year, month.month)
    )
    before, after = _step(month, -1), _step(month, 1)
    return Month(
        month,
        weeks,
        before if bookable.has_month(before) else None,
        after if bookable.has_month(after) else None,
    )


PARTS_OF_DAY = (("Morning", None, NOON), ("Afternoon", NOON, FIVE_PM), ("Evening", FIVE_PM, None))


def by_part_of_day(times: Iterable[FreeTime]) -> list[tuple[str, list[FreeTime]]]:
    """The day's times under Morning (before noon), Afternoon (to 5 PM) and Evening, clinic
    time; a part with no free time is left out."""
    parts: list[tuple[str, list[FreeTime]]] = []
    for name, begins, ends in PARTS_OF_DAY:
        inside = [
            t
            for t in times
            if (begins is None or t.start.time() >= begins)
            and (ends is None or t.start.time() < ends)
        ]
        if inside:
            parts.append((name, inside))
    return parts


def time_at(times: Iterable[FreeTime], start: dt.datetime) -> FreeTime | None:
    """The free time that starts at `start` (any zone), or None when it is not free."""
    return next((t for t in times if t.start == start), None)
