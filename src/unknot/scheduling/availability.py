"""Free slots for one appointment type at one clinic, for one therapist or any of several.

The grid of candidate starts (G, UTC instants) is built once for all therapists. Per
therapist: working spans (W) and grown busy spans (B) are sorted once, subtracted in one
sweep, and each free piece takes its starts from the grid by bisection, so the cost is
O(G + (W + B) log G + B log B + S) for S slots, never slots x appointments.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .grid import grid_instants
from .intervals import Span
from .localtime import local_date
from .model import (
    AppointmentType,
    Busy,
    BusyRow,
    ClinicCalendar,
    Slot,
    TherapistId,
    TherapistSchedule,
    as_utc,
    busy_parts,
    new_slots,
)
from .working import DaySpans, clinic_open, days_between, working_time


@dataclass(frozen=True)
class Window:
    """The local dates and earliest instant a booking made at `now` may start in."""

    first_day: date
    last_day: date
    earliest_utc: datetime

    @property
    def days(self) -> list[date]:
        return list(days_between(self.first_day, self.last_day))


def booking_window(
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    first_day: date,
    last_day: date,
    now: datetime,
) -> Window:
    """Clip the asked-for dates to minimum notice and the horizon (clinic-local dates)."""
    tz = clinic.tz
    earliest = as_utc(now, "now") + appointment_type.min_notice
    horizon = local_date(now, tz) + timedelta(days=appointment_type.horizon_days)
    return Window(max(first_day, local_date(earliest, tz)), min(last_day, horizon), earliest)


def available_slots(
    *,
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedules: Sequence[TherapistSchedule],
    busy: Iterable[Busy | BusyRow],
    first_day: date,
    last_day: date,
    now: datetime,
) -> tuple[Slot, ...]:
    """Free slots on local dates `first_day` .. `last_day`, sorted by start.

    Pass one schedule for a given therapist, several for "any therapist": each start then
    appears once, listing every therapist free at it in the order of `schedules`.

    What every therapist shares is computed once: the clinic's opening spans and the grid of
    candidate starts (UTC instants, DST-correct). Each therapist's free spans then pick
    their starts out of the grid by bisection, with no time zone work per start.
    """
    window = booking_window(clinic, appointment_type, first_day, last_day, now)
    days = window.days
    if not days or not schedules:
        return ()
    tz = clinic.tz
    spans_of = DaySpans(tz)
    opening = clinic_open(clinic, days, spans_of)
    duration = appointment_type.duration
    grid = _candidates(grid_instants(days, tz, appointment_type.step), opening, window, duration)
    free_at: list[list[TherapistId]] = [[] for _ in grid]
    cuts = _cuts(busy, appointment_type)
    # Therapists with the same hours, overrides and time off share their working time.
    working_of: dict[object, list[Span]] = {}
    for schedule in schedules:
        tid = schedule.therapist_id
        rules = (schedule.clinic_id, schedule.weekly, schedule.overrides, schedule.time_off)
        working = working_of.get(rules)
        if working is None:
            working = working_of[rules] = working_time(clinic, schedule, days, opening, spans_of)
        for start, latest in _free(working, cuts.get(tid, ()), duration):
            first = bisect_left(grid, start)
            for ids in free_at[first : bisect_right(grid, latest, first)]:
                ids.append(tid)
    return new_slots(grid, free_at, duration)


def _candidates(
    grid: list[datetime], opening: Sequence[Span], window: Window, duration: timedelta
) -> list[datetime]:
    """Grid starts after the minimum notice whose appointment fits in the clinic's hours.

    Working time never reaches outside opening hours, so no other start can be free.
    """
    found: list[datetime] = []
    for span in opening:
        first = bisect_left(grid, max(span.start, window.earliest_utc))
        found += grid[first : bisect_right(grid, span.end - duration, first)]
    return found


def _cuts(
    busy: Iterable[Busy | BusyRow], appointment_type: AppointmentType
) -> dict[TherapistId, list[tuple[datetime, datetime]]]:
    """Each therapist's busy time grown by the new type's buffers, sorted by start.

    A slot [s, e) with buffers needs [s - before, e + after) clear of busy [b0, b1), that
    is [s, e) clear of [b0 - after, b1 + before) (see `working.blocked`). Rows already in
    UTC and in order are used as they are; anything else goes through `Busy`'s checks.
    """
    before, after = appointment_type.buffer_before, appointment_type.buffer_after
    cuts: dict[TherapistId, list[tuple[datetime, datetime]]] = defaultdict(list)
    for item in busy:
        if type(item) is tuple:
            tid, start, end = item
            if start.tzinfo is not UTC or end.tzinfo is not UTC or not start < end:
                tid, start, end = busy_parts(item)
        else:
            tid, start, end = busy_parts(item)
        cuts[tid].append((start - after, end + before))
    for cut in cuts.values():
        cut.sort()
    return cuts


def _free(
    working: Sequence[Span], cut: Sequence[tuple[datetime, datetime]], duration: timedelta
) -> list[tuple[datetime, datetime]]:
    """(start, latest start) of every free piece long enough for `duration`.

    `working` minus `cut`, as `intervals.subtract` does it, for cuts sorted by start but not
    merged: the running `start` is the furthest end of the cuts seen so far, so overlapping
    cuts need no merging first. Every cut must be non-empty (busy time always is).
    """
    found = []
    first, count = 0, len(cut)
    for span_start, span_end in working:
        while first < count and cut[first][1] <= span_start:
            first += 1
        start = span_start
        k = first
        while k < count and cut[k][0] < span_end:
            cut_start, cut_end = cut[k]
            if cut_start - start >= duration:
                found.append((start, cut_start - duration))
            if cut_end > start:
                start = cut_end
            k += 1
        if span_end - start >= duration:
            found.append((start, span_end - duration))
    return found


def pick_therapist(slot: Slot, load: Mapping[TherapistId, int] | None = None) -> TherapistId:
    """The least-loaded therapist free at `slot`; ties keep the slot's (input) order."""
    counts = load or {}
    return min(slot.therapist_ids, key=lambda tid: counts.get(tid, 0))
