"""Free slots for one appointment type at one clinic, for one therapist or any of several.

Per therapist: working spans (W) and grown busy spans (B) are merged once, subtracted in one
sweep, and the grid is walked only inside what is left, so the cost is O((W + B) log B + S)
for S slots, never slots x appointments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .grid import grid_starts
from .intervals import Span, subtract
from .localtime import local_date
from .model import (
    AppointmentType,
    Busy,
    ClinicCalendar,
    Slot,
    TherapistId,
    TherapistSchedule,
    as_utc,
)
from .working import blocked, days_between, working_time


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


def free_spans(
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedule: TherapistSchedule,
    busy: Iterable[Busy],
    days: Sequence[date],
) -> list[Span]:
    """Working time minus busy time (grown by the new type's buffers), merged."""
    working = working_time(clinic, schedule, days)
    return subtract(working, blocked(busy, schedule.therapist_id, appointment_type))


def therapist_starts(
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedule: TherapistSchedule,
    busy: Iterable[Busy],
    window: Window,
) -> list[datetime]:
    """Sorted bookable starts for one therapist inside `window`."""
    days = window.days
    if not days:
        return []
    tz = clinic.tz
    free = free_spans(clinic, appointment_type, schedule, busy, days)
    starts = grid_starts(
        free, tz, appointment_type.step, appointment_type.duration, window.earliest_utc
    )
    # Working spans never leave their own local day, so this only guards DST oddities
    # around midnight in zones whose clocks change at 00:00.
    return [s for s in starts if window.first_day <= local_date(s, tz) <= window.last_day]


def available_slots(
    *,
    clinic: ClinicCalendar,
    appointment_type: AppointmentType,
    schedules: Sequence[TherapistSchedule],
    busy: Iterable[Busy],
    first_day: date,
    last_day: date,
    now: datetime,
) -> tuple[Slot, ...]:
    """Free slots on local dates `first_day` .. `last_day`, sorted by start.

    Pass one schedule for a given therapist, several for "any therapist": each start then
    appears once, listing every therapist free at it in the order of `schedules`.
    """
    window = booking_window(clinic, appointment_type, first_day, last_day, now)
    busy_by_therapist = _group(busy)
    free_at: dict[datetime, list[TherapistId]] = defaultdict(list)
    for schedule in schedules:
        own_busy = busy_by_therapist.get(schedule.therapist_id, ())
        for start in therapist_starts(clinic, appointment_type, schedule, own_busy, window):
            free_at[start].append(schedule.therapist_id)
    duration = appointment_type.duration
    return tuple(Slot(start, start + duration, tuple(free_at[start])) for start in sorted(free_at))


def _group(busy: Iterable[Busy]) -> dict[TherapistId, list[Busy]]:
    grouped: dict[TherapistId, list[Busy]] = defaultdict(list)
    for item in busy:
        grouped[item.therapist_id].append(item)
    return grouped


def pick_therapist(slot: Slot, load: Mapping[TherapistId, int] | None = None) -> TherapistId:
    """The least-loaded therapist free at `slot`; ties keep the slot's (input) order."""
    counts = load or {}
    return min(slot.therapist_ids, key=lambda tid: counts.get(tid, 0))
