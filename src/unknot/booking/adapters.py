"""Rows in, core objects out: the only place that maps booking tables to `unknot.scheduling`.

Query count is fixed whatever the number of therapists or days: one round trip for the
schedules (weekly hours, overrides and time off together) and one for the busy intervals.

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
from unknot.clinics.models import Clinic, OpeningHours
from unknot.clinics.models import Closure as ClinicClosure


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


# Weekly hours, date overrides and time off of some therapists in one round trip (and, for a
# single booking's check, the clinic's opening hours and closures too): one UNION ALL whose
# columns each hold one kind of value, NULL where a row has none. The columns: row kind,
# therapist, weekday, first day, last day, from, to (wall clock), start, end (instants),
# whole day, note. The NULLs are cast so that PostgreSQL knows every column's type.
_WEEKLY_SQL = """
    SELECT 'weekly', therapist_id, weekday, CAST(NULL AS date), CAST(NULL AS date), start, "end",
           CAST(NULL AS timestamptz), CAST(NULL AS timestamptz), CAST(NULL AS boolean),
           CAST(NULL AS text)
      FROM {working} WHERE clinic_id = %s AND therapist_id IN ({ids})
"""
_OVERRIDES_SQL = """
    SELECT 'override', therapist_id, CAST(NULL AS integer), date, CAST(NULL AS date), start,
           "end", CAST(NULL AS timestamptz), CAST(NULL AS timestamptz), CAST(NULL AS boolean),
           CAST(NULL AS text)
      FROM {overrides}
     WHERE clinic_id = %s AND therapist_id IN ({ids}) AND date BETWEEN %s AND %s
"""
_TIME_OFF_SQL = """
    SELECT 'time_off', therapist_id, CAST(NULL AS integer), CAST(NULL AS date),
           CAST(NULL AS date), CAST(NULL AS time), CAST(NULL AS time), start, "end", whole_day,
           CAST(NULL AS text)
      FROM {time_off} WHERE therapist_id IN ({ids}) AND "end" > %s AND start < %s
"""
_OPENING_SQL = """
    SELECT 'opening', CAST(NULL AS integer), weekday, CAST(NULL AS date), CAST(NULL AS date),
           opens, closes, CAST(NULL AS timestamptz), CAST(NULL AS timestamptz),
           CAST(NULL AS boolean), CAST(NULL AS text)
      FROM {opening} WHERE clinic_id = %s
"""
_CLOSURES_SQL = """
    SELECT 'closure', CAST(NULL AS integer), CAST(NULL AS integer), start_date, end_date,
           CAST(NULL AS time), CAST(NULL AS time), CAST(NULL AS timestamptz),
           CAST(NULL AS timestamptz), CAST(NULL AS boolean), reason
      FROM {closures} WHERE clinic_id = %s AND end_date >= %s AND start_date <= %s
"""
_BUSY_SQL = """
    SELECT therapist_id, blocked_start, blocked_end FROM {table}
     WHERE therapist_id IN ({ids}) AND blocked_end > %s AND blocked_start < %s
       AND blocked_start > %s
       AND status <> %s
       AND NOT (status = %s AND hold_expires_at IS NOT NULL AND hold_expires_at <= %s)
"""


def _day(value: Any) -> dt.date:
    """A date as read: a date, or its ISO text where SQLite leaves a UNION's column untyped."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _clock(value: Any) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def _moment(value: Any) -> dt.datetime:
    return _aware(value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value))


def _schedule_rows(
    clinic: Clinic,
    ids: Sequence[int],
    first_day: dt.date,
    last_day: dt.date,
    with_calendar: bool,
) -> list[tuple[Any, ...]]:
    """The one query behind `therapist_schedules` (and `booking_day`)."""
    ops = connection.ops
    margin = dt.timedelta(days=1)  # time off: local dates vs UTC instants
    off_start = dt.datetime.combine(first_day - margin, dt.time(), dt.UTC)
    off_end = dt.datetime.combine(last_day + margin * 2, dt.time(), dt.UTC)
    first, last = ops.adapt_datefield_value(first_day), ops.adapt_datefield_value(last_day)
    tables = {
        "working": _table(WorkingHours),
        "overrides": _table(ScheduleOverride),
        "time_off": _table(TimeOff),
        "opening": _table(OpeningHours),
        "closures": _table(ClinicClosure),
        "ids": _in(ids),
    }
    parts = [_WEEKLY_SQL, _OVERRIDES_SQL, _TIME_OFF_SQL]
    params: list[Any] = [clinic.pk, *ids, clinic.pk, *ids, first, last]
    params += [*ids, _instant(off_start), _instant(off_end)]
    if with_calendar:
        parts += [_OPENING_SQL, _CLOSURES_SQL]
        params += [clinic.pk, clinic.pk, first, last]
    sql = " UNION ALL ".join(part.format(**tables) for part in parts)
    return _fetch(sql, params)


def _schedules(
    clinic: Clinic, ids: Sequence[int], rows: Iterable[tuple[Any, ...]]
) -> list[core.TherapistSchedule]:
    tz = zoneinfo.ZoneInfo(clinic.time_zone)
    weekly: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    override_hours: dict[tuple[int, dt.date], list[core.TimeRange]] = defaultdict(list)
    time_off: dict[int, list[core.TimeOff]] = defaultdict(list)
    for kind, tid, weekday, day, _, opens, closes, start, end, whole_day, _ in rows:
        if kind == "weekly":
            weekly[tid][weekday].append((_clock(opens), _clock(closes)))
        elif kind == "override":
            hours = override_hours[(tid, _day(day))]
            if opens and closes:
                hours.append(core.TimeRange(_clock(opens), _clock(closes)))
        elif kind == "time_off":
            time_off[tid].append(_time_off(_moment(start), _moment(end), bool(whole_day), tz))
    overrides: dict[int, list[core.DateOverride]] = defaultdict(list)
    for (tid, day), hours in sorted(override_hours.items()):
        overrides[tid].append(core.DateOverride(day, tuple(sorted(hours))))
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


def therapist_schedules(
    clinic: Clinic, therapist_ids: Sequence[int], first_day: dt.date, last_day: dt.date
) -> list[core.TherapistSchedule]:
    """One schedule per therapist at this clinic, in the order of `therapist_ids`.

    One query: weekly hours, date overrides and time off together.
    """
    ids = [int(tid) for tid in therapist_ids]
    if not ids:
        return []
    return _schedules(clinic, ids, _schedule_rows(clinic, ids, first_day, last_day, False))


def booking_day(
    clinic: Clinic, therapist_id: int, first_day: dt.date, last_day: dt.date
) -> tuple[core.ClinicCalendar, core.TherapistSchedule]:
    """What a single booking is checked against, in one query: the clinic's calendar (its
    opening hours, and the closures touching these days) and the therapist's schedule."""
    rows = _schedule_rows(clinic, [therapist_id], first_day, last_day, True)
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    closures = []
    for kind, _, weekday, day, last, opens, closes, *_, reason in rows:
        if kind == "opening":
            hours[weekday].append((_clock(opens), _clock(closes)))
        elif kind == "closure":
            closures.append(core.Closure(_day(day), _day(last), reason))
    calendar = core.ClinicCalendar(
        clinic.pk,
        clinic.time_zone,
        core.WeeklyHours.from_mapping(hours),
        tuple(sorted(closures, key=lambda closure: closure.first)),
    )
    return calendar, _schedules(clinic, [therapist_id], rows)[0]


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
