"""Rows in, core objects out: the only place that maps booking tables to `unknot.scheduling`.

Query count is fixed whatever the number of therapists or days: one query per table, and
exactly one round trip for the busy intervals.

The reads behind an availability search (weekly hours, overrides, time off, busy time) are
the hot path of the public calendar, so they are short hand-written SELECTs on a plain
cursor that hand back tuples, with the conditions the ORM would write. They work on
PostgreSQL and SQLite alike: parameters go through the backend's own adapters, and SQLite's
naive timestamps (Django stores UTC there) are made aware on the way out.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from unknot import scheduling as core
from unknot.booking.models import (
    LONGEST_BLOCK,
    Appointment,
    AppointmentType,
    ScheduleOverride,
    Status,
    TimeOff,
    WorkingHours,
)
from unknot.clinics.models import Clinic


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _in(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _instant(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _aware(value: dt.datetime) -> dt.datetime:
    """A timestamp as read: aware on PostgreSQL, naive UTC on SQLite."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


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


def _time_off(
    start: dt.datetime, end: dt.datetime, whole_day: bool, tz: zoneinfo.ZoneInfo
) -> core.TimeOff:
    if whole_day:  # whole days are dates in the clinic's own calendar
        return core.TimeOff.days(start.astimezone(tz).date(), end.astimezone(tz).date())
    return core.TimeOff(start, end)


_WEEKLY_SQL = """
    SELECT therapist_id, weekday, start, "end" FROM {table}
     WHERE clinic_id = %s AND therapist_id IN ({ids})
"""
_OVERRIDES_SQL = """
    SELECT therapist_id, date, start, "end" FROM {table}
     WHERE clinic_id = %s AND therapist_id IN ({ids}) AND date BETWEEN %s AND %s
"""
_TIME_OFF_SQL = """
    SELECT therapist_id, start, "end", whole_day FROM {table}
     WHERE therapist_id IN ({ids}) AND "end" > %s AND start < %s
"""
_BUSY_SQL = """
    SELECT therapist_id, blocked_start, blocked_end FROM {table}
     WHERE therapist_id IN ({ids}) AND blocked_end > %s AND blocked_start < %s
       AND blocked_start > %s
       AND status <> %s
       AND NOT (status = %s AND hold_expires_at IS NOT NULL AND hold_expires_at <= %s)
"""


def therapist_schedules(
    clinic: Clinic, therapist_ids: Sequence[int], first_day: dt.date, last_day: dt.date
) -> list[core.TherapistSchedule]:
    """One schedule per therapist at this clinic, in the order of `therapist_ids`.

    Three queries: weekly hours, date overrides and time off.
    """
    ids = [int(tid) for tid in therapist_ids]
    if not ids:
        return []
    tz = zoneinfo.ZoneInfo(clinic.time_zone)
    weekly: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    sql = _WEEKLY_SQL.format(table=_table(WorkingHours), ids=_in(ids))
    for tid, weekday, start, end in _fetch(sql, [clinic.pk, *ids]):
        weekly[tid][weekday].append((start, end))
    overrides = _overrides(clinic, ids, first_day, last_day)
    time_off = _absences(ids, first_day, last_day, tz)
    return [
        core.TherapistSchedule(
            therapist_id=tid,
            clinic_id=clinic.pk,
            weekly=core.WeeklyHours.from_mapping(weekly[tid]),
            overrides=tuple(overrides[tid]),
            time_off=tuple(time_off[tid]),
        )
        for tid in ids
    ]


def _overrides(
    clinic: Clinic, ids: Sequence[int], first_day: dt.date, last_day: dt.date
) -> dict[int, list[core.DateOverride]]:
    ops = connection.ops
    sql = _OVERRIDES_SQL.format(table=_table(ScheduleOverride), ids=_in(ids))
    first, last = ops.adapt_datefield_value(first_day), ops.adapt_datefield_value(last_day)
    by_key: dict[tuple[int, dt.date], list[core.TimeRange]] = defaultdict(list)
    for tid, day, start, end in _fetch(sql, [clinic.pk, *ids, first, last]):
        hours = by_key[(tid, day)]
        if start and end:
            hours.append(core.TimeRange(start, end))
    result: dict[int, list[core.DateOverride]] = defaultdict(list)
    for (tid, day), hours in sorted(by_key.items()):
        result[tid].append(core.DateOverride(day, tuple(sorted(hours))))
    return result


def _absences(
    ids: Sequence[int], first_day: dt.date, last_day: dt.date, tz: zoneinfo.ZoneInfo
) -> dict[int, list[core.TimeOff]]:
    margin = dt.timedelta(days=1)  # local dates vs UTC instants
    window_start = dt.datetime.combine(first_day - margin, dt.time(), dt.UTC)
    window_end = dt.datetime.combine(last_day + margin * 2, dt.time(), dt.UTC)
    sql = _TIME_OFF_SQL.format(table=_table(TimeOff), ids=_in(ids))
    time_off: dict[int, list[core.TimeOff]] = defaultdict(list)
    for tid, start, end, whole_day in _fetch(
        sql, [*ids, _instant(window_start), _instant(window_end)]
    ):
        time_off[tid].append(_time_off(_aware(start), _aware(end), bool(whole_day), tz))
    return time_off


def busy_rows(
    therapist_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    exclude_appointment: int | None = None,
    holds: bool = True,
) -> list[core.BusyRow]:
    """Every blocked interval of these therapists overlapping [start, end): one query.

    Cancelled visits and holds that have run out do not block anyone; with `holds=False`
    live holds do not either (the limits on holds compare the two). Rows come back as
    `(therapist_id, blocked_start, blocked_end)` in UTC, which the core takes as they are.
    """
    ids = [int(tid) for tid in therapist_ids]
    if not ids:
        return []
    sql = _BUSY_SQL.format(table=_table(Appointment), ids=_in(ids))
    # No block is longer than LONGEST_BLOCK: the lower bound lets the (therapist,
    # blocked_start) index read the window only, not every earlier appointment.
    earliest = _instant(start - LONGEST_BLOCK)
    params = [*ids, _instant(start), _instant(end), earliest, Status.CANCELLED, Status.HELD]
    params.append(_instant(now))
    if exclude_appointment is not None:
        sql += " AND id <> %s"
        params.append(exclude_appointment)
    if not holds:
        sql += " AND status <> %s"
        params.append(Status.HELD)
    rows = _fetch(sql, params)
    if rows and rows[0][1].tzinfo is None:  # SQLite
        rows = [(tid, _aware(s), _aware(e)) for tid, s, e in rows]
    return rows


def busy_intervals(
    therapist_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    exclude_appointment: int | None = None,
) -> list[core.Busy]:
    """`busy_rows` as `core.Busy` objects, for the single-booking checks."""
    rows = busy_rows(therapist_ids, start, end, now, exclude_appointment)
    return [core.Busy(*row) for row in rows]


def zone(clinic: Clinic) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(clinic.time_zone)
