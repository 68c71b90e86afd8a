"""Rows in, core objects out: the only place that maps booking tables to `unknot.scheduling`.

Query count is fixed whatever the number of therapists or days: one query per table, and
exactly one round trip for the busy intervals.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence

from unknot import scheduling as core
from unknot.booking.models import (
    Appointment,
    AppointmentType,
    ScheduleOverride,
    Status,
    TimeOff,
    WorkingHours,
)
from unknot.clinics.models import Clinic


def clinic_calendar(clinic: Clinic) -> core.ClinicCalendar:
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for row in clinic.opening_hours.all():
        hours[row.weekday].append((row.opens, row.closes))
    closures = tuple(
        core.Closure(c.start_date, c.end_date, c.reason) for c in clinic.closures.all()
    )
    return core.ClinicCalendar(
        clinic.pk, clinic.time_zone, core.WeeklyHours.from_mapping(hours), closures
    )


def core_type(row: AppointmentType) -> core.AppointmentType:
    return core.AppointmentType(
        type_id=row.pk,
        duration=dt.timedelta(minutes=row.duration_minutes),
        buffer_before=dt.timedelta(minutes=row.buffer_before_minutes),
        buffer_after=dt.timedelta(minutes=row.buffer_after_minutes),
        min_notice=dt.timedelta(minutes=row.min_notice_minutes),
        horizon_days=row.horizon_days,
        step=dt.timedelta(minutes=row.slot_step_minutes),
        change_notice=dt.timedelta(hours=row.change_notice_hours),
    )


def _time_off(row: TimeOff, tz: zoneinfo.ZoneInfo) -> core.TimeOff:
    if row.whole_day:  # whole days are dates in the clinic's own calendar
        return core.TimeOff.days(row.start.astimezone(tz).date(), row.end.astimezone(tz).date())
    return core.TimeOff(row.start, row.end)


def therapist_schedules(
    clinic: Clinic, therapist_ids: Sequence[int], first_day: dt.date, last_day: dt.date
) -> list[core.TherapistSchedule]:
    """One schedule per therapist at this clinic, in the order of `therapist_ids`."""
    tz = zoneinfo.ZoneInfo(clinic.time_zone)
    weekly: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for wh in WorkingHours.objects.filter(clinic=clinic, therapist_id__in=therapist_ids):
        weekly[wh.therapist_id][wh.weekday].append((wh.start, wh.end))
    overrides = _overrides(clinic, therapist_ids, first_day, last_day)
    time_off: dict[int, list[core.TimeOff]] = defaultdict(list)
    margin = dt.timedelta(days=1)  # local dates vs UTC instants
    window_start = dt.datetime.combine(first_day - margin, dt.time(), dt.UTC)
    window_end = dt.datetime.combine(last_day + margin * 2, dt.time(), dt.UTC)
    for row in TimeOff.objects.filter(
        therapist_id__in=therapist_ids, end__gt=window_start, start__lt=window_end
    ):
        time_off[row.therapist_id].append(_time_off(row, tz))
    return [
        core.TherapistSchedule(
            therapist_id=tid,
            clinic_id=clinic.pk,
            weekly=core.WeeklyHours.from_mapping(weekly[tid]),
            overrides=tuple(overrides[tid]),
            time_off=tuple(time_off[tid]),
        )
        for tid in therapist_ids
    ]


def _overrides(
    clinic: Clinic, therapist_ids: Sequence[int], first_day: dt.date, last_day: dt.date
) -> dict[int, list[core.DateOverride]]:
    by_key: dict[tuple[int, dt.date], list[core.TimeRange]] = defaultdict(list)
    for row in ScheduleOverride.objects.filter(
        clinic=clinic, therapist_id__in=therapist_ids, date__range=(first_day, last_day)
    ):
        hours = by_key[(row.therapist_id, row.date)]
        if row.start and row.end:
            hours.append(core.TimeRange(row.start, row.end))
    result: dict[int, list[core.DateOverride]] = defaultdict(list)
    for (tid, day), hours in sorted(by_key.items()):
        result[tid].append(core.DateOverride(day, tuple(sorted(hours))))
    return result


def busy_intervals(
    therapist_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    exclude_appointment: int | None = None,
) -> list[core.Busy]:
    """Every blocked interval of these therapists overlapping [start, end): one query.

    Cancelled visits and holds that have run out do not block anyone.
    """
    rows = (
        Appointment.objects.filter(
            therapist_id__in=list(therapist_ids), blocked_end__gt=start, blocked_start__lt=end
        )
        .exclude(status=Status.CANCELLED)
        .exclude(status=Status.HELD, hold_expires_at__lte=now)
    )
    if exclude_appointment is not None:
        rows = rows.exclude(pk=exclude_appointment)
    return [
        core.Busy(tid, blocked_start, blocked_end)
        for tid, blocked_start, blocked_end in rows.values_list(
            "therapist_id", "blocked_start", "blocked_end"
        )
    ]


def zone(clinic: Clinic) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(clinic.time_zone)
