"""The shared grid and fused sweep of `available_slots` against the plain per-therapist walk.

`available_slots` computes the grid once per search and picks each therapist's starts out
of it by bisection. The step-by-step walk (`grid_starts`, one zone lookup per start) stays
in the package as the reference; here both must agree everywhere, including steps that do
not divide a day and schedules that share or differ in their rules.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.scheduling import (
    AppointmentType,
    Busy,
    BusyRow,
    ClinicCalendar,
    Slot,
    TherapistSchedule,
    WeeklyHours,
    available_slots,
    booking_window,
    to_utc,
)
from unknot.scheduling.grid import grid_instants, grid_starts, on_grid
from unknot.scheduling.intervals import subtract
from unknot.scheduling.localtime import local_date
from unknot.scheduling.model import new_slots
from unknot.scheduling.working import blocked, working_time

from .test_properties import DST_DAYS, SETTINGS, scenarios

ODD_STEPS = [7, 25, 45, 50, 90, 100, 24 * 60, 25 * 60]


def walked(sc: dict) -> list[tuple[datetime, tuple[object, ...]]]:
    """The search as it was before the shared grid: every therapist walks the grid alone."""
    clinic, kind = sc["clinic"], sc["appointment_type"]
    window = booking_window(clinic, kind, sc["first_day"], sc["last_day"], sc["now"])
    days = window.days
    tz = clinic.tz
    free_at: dict[datetime, list[object]] = {}
    for schedule in sc["schedules"] if days else []:
        tid = schedule.therapist_id
        free = subtract(working_time(clinic, schedule, days), blocked(sc["busy"], tid, kind))
        for start in grid_starts(free, tz, kind.step, kind.duration, window.earliest_utc):
            if window.first_day <= local_date(start, tz) <= window.last_day:
                free_at.setdefault(start, []).append(tid)
    return [(start, tuple(free_at[start])) for start in sorted(free_at)]


def found(sc: dict) -> list[tuple[datetime, tuple[object, ...]]]:
    slots = available_slots(**sc)
    for slot in slots:
        assert slot.end_utc - slot.start_utc == sc["appointment_type"].duration
    return [(slot.start_utc, slot.therapist_ids) for slot in slots]


def as_rows(busy: tuple[Busy, ...], data: st.DataObject) -> list[Busy | BusyRow]:
    """The same busy time, some of it as plain rows (in UTC or in another zone)."""
    kathmandu = ZoneInfo("Asia/Kathmandu")
    mixed: list[Busy | BusyRow] = []
    for b in busy:
        form = data.draw(st.sampled_from(["busy", "utc", "zone"]))
        if form == "busy":
            mixed.append(b)
        elif form == "utc":
            mixed.append((b.therapist_id, b.start_utc, b.end_utc))
        else:
            mixed.append((b.therapist_id, b.start_utc.astimezone(kathmandu), b.end_utc))
    return mixed


@SETTINGS
@given(scenarios(therapists=3), st.data())
def test_agrees_with_the_walk_for_any_step(sc: dict, data: st.DataObject) -> None:
    step = timedelta(minutes=data.draw(st.sampled_from([*ODD_STEPS, 5, 15, 60])))
    sc = {**sc, "appointment_type": dataclasses.replace(sc["appointment_type"], step=step)}
    expected = walked(sc)
    assert found(sc) == expected
    assert found({**sc, "busy": as_rows(sc["busy"], data)}) == expected


def test_busy_rows_are_checked_like_busy() -> None:
    clinic = ClinicCalendar("c1", "Europe/London", WeeklyHours.same_on(range(7), "09:00-17:00"))
    schedule = TherapistSchedule("t1", "c1", WeeklyHours.same_on(range(7), "09:00-17:00"))
    common = {
        "clinic": clinic,
        "appointment_type": AppointmentType("visit", timedelta(hours=1)),
        "schedules": [schedule],
        "first_day": date(2025, 6, 3),
        "last_day": date(2025, 6, 3),
        "now": datetime(2025, 6, 2, tzinfo=UTC),
    }
    nine = datetime(2025, 6, 3, 8, tzinfo=UTC)  # 09:00 in London
    with pytest.raises(ValueError, match="timezone-aware"):
        available_slots(
            busy=[("t1", nine.replace(tzinfo=None), nine + timedelta(hours=1))], **common
        )
    with pytest.raises(ValueError, match="end after it starts"):
        available_slots(busy=[("t1", nine, nine)], **common)
    as_busy = available_slots(busy=[Busy("t1", nine, nine + timedelta(hours=1))], **common)
    as_row = available_slots(busy=[("t1", nine, nine + timedelta(hours=1))], **common)
    assert as_busy == as_row and as_row[0].start_utc == nine + timedelta(hours=1)


@SETTINGS
@given(scenarios(therapists=2), st.data())
def test_agrees_with_the_walk_when_schedules_repeat(sc: dict, data: st.DataObject) -> None:
    # Same rules under other ids, and one therapist twice: shared working time, same order.
    first, second = sc["schedules"]
    twin = dataclasses.replace(first, therapist_id="twin")
    order = data.draw(st.permutations([first, second, twin, first]))
    twin_busy = tuple(
        Busy("twin", b.start_utc, b.end_utc) for b in sc["busy"] if b.therapist_id == "t1"
    )
    sc = {**sc, "schedules": list(order), "busy": sc["busy"] + twin_busy}
    assert found(sc) == walked(sc)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([(zone, day) for zone, days in sorted(DST_DAYS.items()) for day in days]),
    st.integers(-2, 2),
    st.sampled_from([*ODD_STEPS, 5, 10, 15, 20, 30, 60]),
)
def test_grid_instants_are_exactly_the_on_grid_instants(
    zone_day: tuple[str, date], shift: int, step: int
) -> None:
    zone, day = zone_day
    tz = ZoneInfo(zone)
    pivot = day + timedelta(days=shift)
    days = [pivot - timedelta(days=1), pivot, pivot + timedelta(days=1)]
    grid = grid_instants(days, tz, timedelta(minutes=step))
    assert grid == sorted(set(grid))
    # Every minute of the three days (and a margin), tested one by one.
    minute = to_utc(datetime.combine(days[0], time()), tz) - timedelta(hours=4)
    stop = to_utc(datetime.combine(days[-1] + timedelta(days=1), time()), tz) + timedelta(hours=4)
    expected = []
    while minute < stop:
        if local_date(minute, tz) in days and on_grid(minute, tz, timedelta(minutes=step)):
            expected.append(minute)
        minute += timedelta(minutes=1)
    assert grid == expected


def test_new_slots_are_ordinary_slots() -> None:
    start = datetime(2025, 6, 2, 13, tzinfo=UTC)
    hour = timedelta(hours=1)
    [fast] = new_slots([start, start + hour], [["t1", "t2"], []], hour)
    plain = Slot(start, start + hour, ("t1", "t2"))
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert dataclasses.asdict(fast) == dataclasses.asdict(plain)


def test_no_schedules_or_no_days_give_no_slots() -> None:
    clinic = ClinicCalendar("c1", "Europe/London", WeeklyHours.same_on(range(7), "09:00-17:00"))
    kind = AppointmentType("visit", timedelta(hours=1))
    now = datetime(2025, 6, 2, tzinfo=UTC)
    schedule = TherapistSchedule("t1", "c1", WeeklyHours.same_on(range(7), "09:00-17:00"))
    common = {"clinic": clinic, "appointment_type": kind, "busy": (), "now": now}
    assert (
        available_slots(
            schedules=[], first_day=date(2025, 6, 3), last_day=date(2025, 6, 3), **common
        )
        == ()
    )
    assert (
        available_slots(
            schedules=[schedule], first_day=date(2025, 6, 3), last_day=date(2025, 6, 2), **common
        )
        == ()
    )
