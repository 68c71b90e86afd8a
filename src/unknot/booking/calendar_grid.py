"""The staff calendar as a grid: columns (therapists on a day, or days of one therapist) and
15-minute rows of the clinic's wall clock, each appointment a block over the rows it takes.

No database here: the calendar view reads the rows in a fixed number of queries and hands
them in; this module only places them. Rows are wall-clock times at the clinic, so a 09:00
visit sits on the 09:00 row on both sides of a change of the clocks, and the page draws it
with CSS grid classes (`at-N`, `span-N` in booking/calendar.css): no script is needed to see it.

A row is one of three kinds in each column: part of an appointment's block, free working
time (a link to book it), or time the therapist does not work there (shaded, in runs).
"""

import datetime as dt
import math
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from unknot import scheduling as core
from unknot.booking import hooks, services
from unknot.booking.models import Appointment, AppointmentKind, Status
from unknot.clinics import times
from unknot.scheduling.intervals import Span, contains

ROW_MINUTES = 15
ROW = dt.timedelta(minutes=ROW_MINUTES)
ROWS_PER_HOUR = 60 // ROW_MINUTES
MAX_ROWS = 24 * ROWS_PER_HOUR  # the stylesheet places rows 1..96 (a whole day)
ON_GRID = (Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)  # not cancelled
MARK_WORDS: dict[str, str] = {
    Status.ARRIVED: "Arrived",
    Status.COMPLETED: "Completed",
    Status.NO_SHOW: "Did not attend",
    Status.BOOKED: "Back to booked",
}
# What the colours mean, said in words beside them (never colour alone).
LEGEND_KINDS = AppointmentKind.choices
LEGEND_STATUSES = [(value, label) for value, label in Status.choices if value in ON_GRID]


def mark_buttons(appointment: Appointment, now: dt.datetime) -> list[tuple[str, str]]:
    """(status, button words) for each mark that makes sense now (`services.mark_refusal`)."""
    return [(status, MARK_WORDS[status]) for status in services.allowed_marks(appointment, now)]


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, as the stylesheet's `at-N`
    wall: dt.time
    on_hour: bool

    @property
    def label(self) -> str:
        return times.wall_clock_label(self.wall)


@dataclass(frozen=True)
class Block:
    """An appointment over `span` rows from row `row`; `marks` are the statuses it may take now."""

    appointment: Appointment
    row: int
    span: int
    movable: bool
    marks: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # safety flags' words (`hooks`)
    is_block: bool = True


@dataclass(frozen=True)
class Cell:
    """Rows with no appointment: free working time (one row, bookable) or a run of rows the
    therapist does not work (or that have passed)."""

    row: int
    span: int
    start: dt.datetime  # the first row's instant, UTC
    wall: dt.time  # the first row's wall-clock time, what the booking link carries
    working: bool
    past: bool
    is_block: bool = False

    @property
    def bookable(self) -> bool:
        return self.working and not self.past


@dataclass(frozen=True)
class Column:
    key: int  # 0-based position, what the moving script counts in
    therapist: Any  # StaffMember
    day: dt.date
    items: list[Block | Cell]
    takes_bookings: bool = True


@dataclass(frozen=True)
class NowLine:
    row: int
    minutes_past: int  # 0..14 into the row, for `past-N`
    label: str


@dataclass(frozen=True)
class Grid:
    rows: list[Row]
    columns: list[Column]
    now: NowLine | None


@dataclass(frozen=True)
class Frame:
    """What every column of one page shares: the zone, the rows and the moment."""

    tz: zoneinfo.ZoneInfo
    first_row_wall: dt.datetime  # on an arbitrary date: only the wall time matters
    rows: list[Row]
    now: dt.datetime

    def row_of(self, local: dt.datetime) -> int:
        """The 1-based row whose quarter hour holds this wall-clock time (clamped)."""
        minutes = (local.hour * 60 + local.minute) - (
            self.first_row_wall.hour * 60 + self.first_row_wall.minute
        )
        return min(max(minutes // ROW_MINUTES + 1, 1), len(self.rows))

    def instant(self, day: dt.date, row: Row) -> dt.datetime:
        return core.to_utc(dt.datetime.combine(day, row.wall), self.tz)


def hour_span(
    opening: tuple[int, int], appointments: Iterable[Appointment], tz: zoneinfo.ZoneInfo
) -> tuple[int, int]:
    """First and last-plus-one local hours shown: the clinic's opening span, widened to
    every appointment on the page (nothing is ever hidden off the grid)."""
    first, last = opening
    for appointment in appointments:
        start, end = appointment.start.astimezone(tz), appointment.end.astimezone(tz)
        first = min(first, start.hour)
        last_minute = 24 * 60 if end.date() > start.date() else end.hour * 60 + end.minute
        last = max(last, math.ceil(last_minute / 60))
    return first, min(last, 24)


def frame(tz: zoneinfo.ZoneInfo, hours: tuple[int, int], now: dt.datetime) -> Frame:
    first, last = hours
    rows = [
        Row(n + 1, dt.time(first + n // ROWS_PER_HOUR, (n % ROWS_PER_HOUR) * ROW_MINUTES),
            n % ROWS_PER_HOUR == 0)
        for n in range((last - first) * ROWS_PER_HOUR)
    ]  # fmt: skip
    return Frame(tz, dt.datetime.combine(dt.date(2000, 1, 1), dt.time(first)), rows, now)


def now_line(fr: Frame, day: dt.date) -> NowLine | None:
    """Where "now" is on the grid of `day`, or None when it is another day or off the rows."""
    local = fr.now.astimezone(fr.tz)
    if local.date() != day or not fr.rows:
        return None
    minutes = (local.hour * 60 + local.minute) - fr.rows[0].wall.hour * 60
    if not 0 <= minutes < len(fr.rows) * ROW_MINUTES:
        return None
    label = times.clock_label(fr.now, fr.tz.key)
    return NowLine(minutes // ROW_MINUTES + 1, minutes % ROW_MINUTES, label)


def block(
    fr: Frame, appointment: Appointment, marks: Callable[[Appointment], list[tuple[str, str]]]
) -> Block:
    local = appointment.start.astimezone(fr.tz)
    row = fr.row_of(local)
    minutes = (appointment.end - appointment.start).total_seconds() / 60
    span = max(1, math.ceil((minutes + local.minute % ROW_MINUTES) / ROW_MINUTES))
    span = min(span, len(fr.rows) - row + 1)
    movable = appointment.status == Status.BOOKED
    flags = hooks.calendar_flags_of(appointment)
    return Block(appointment, row, span, movable, marks(appointment), flags)


def column_items(
    fr: Frame,
    day: dt.date,
    appointments: Sequence[Appointment],
    working: Sequence[Span],
    marks: Callable[[Appointment], list[tuple[str, str]]],
) -> list[Block | Cell]:
    """The blocks of one column and, between them, its free rows (one link each) and runs of
    rows that cannot be booked, in time order (the order a screen reader reads them)."""
    blocks = [block(fr, a, marks) for a in appointments if a.status in ON_GRID]
    taken = {row for b in blocks for row in range(b.row, b.row + b.span)}
    items: list[Block | Cell] = list(blocks)
    run: list[Cell] = []
    for row in fr.rows:
        if row.number in taken:
            continue
        start = fr.instant(day, row)
        works = core.wall_of(start, fr.tz).time() == row.wall and contains(
            working, start, start + ROW
        )  # a wall time skipped by the clocks is never bookable
        cell = Cell(row.number, 1, start, row.wall, works, start < fr.now)
        if cell.bookable:
            items.append(cell)
        elif run and _continues(run[-1], cell):
            last = run[-1]
            run[-1] = Cell(last.row, last.span + 1, last.start, last.wall, last.working, last.past)
        else:
            run.append(cell)
    items.extend(run)
    return sorted(items, key=lambda item: item.row)


def _continues(run: Cell, cell: Cell) -> bool:
    """The cell extends the run: right after it, and shaded the same way."""
    same = (run.working, run.past) == (cell.working, cell.past)
    return same and run.row + run.span == cell.row


def working_spans(
    calendar: core.ClinicCalendar, schedule: core.TherapistSchedule | None, days: list[dt.date]
) -> list[Span]:
    if schedule is None:  # not a bookable therapist here (any more): no working time
        return []
    return core.working_time(calendar, schedule, days)
