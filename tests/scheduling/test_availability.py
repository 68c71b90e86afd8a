"""Free slots: grid, buffers, notice, horizon, any therapist, DST days."""

from datetime import date, timedelta
from itertools import pairwise

import pytest

from unknot.scheduling import Busy, Slot, pick_therapist
from unknot.scheduling.model import TimeOff

from ._builders import appt, clinic, local, minutes, slots, therapist, utc, walls

LONDON = "Europe/London"
MON = date(2025, 6, 2)


def test_grid_from_local_midnight_inside_each_interval() -> None:
    found = slots(clinic(), appt(60, step=30), [therapist("t1", "09:10-11:00", "13:00-14:30")], MON)
    assert walls(found, LONDON) == ["09:30", "10:00", "13:00", "13:30"]
    assert all(s.end_utc - s.start_utc == minutes(60) for s in found)


def test_step_that_does_not_divide_an_hour_restarts_each_day() -> None:
    found = slots(clinic(), appt(30, step=45), [therapist("t1", "09:00-12:00")], MON)
    assert walls(found, LONDON) == ["09:00", "09:45", "10:30", "11:15"]


def test_appointment_blocks_with_its_own_buffers_and_the_new_slots_buffers() -> None:
    kind = appt(30, step=15, before=10, after=10)
    existing = Busy.for_appointment("t1", local(LONDON, 2025, 6, 2, 10), kind)
    found = slots(clinic(), kind, [therapist("t1", "09:00-12:00")], MON, busy=(existing,))
    # Busy 09:50-10:40, and a new slot needs its own 10 minutes either side.
    assert walls(found, LONDON) == ["09:00", "11:00", "11:15", "11:30"]


def test_buffers_may_reach_outside_working_hours() -> None:
    found = slots(clinic(), appt(60, before=15, after=15), [therapist("t1", "09:00-10:00")], MON)
    assert walls(found, LONDON) == ["09:00"]


def test_touching_busy_is_not_overlap() -> None:
    busy = Busy("t1", local(LONDON, 2025, 6, 2, 9, 30), local(LONDON, 2025, 6, 2, 10))
    found = slots(clinic(), appt(30, step=30), [therapist("t1", "09:00-10:30")], MON, busy=(busy,))
    assert walls(found, LONDON) == ["09:00", "10:00"]


def test_other_therapists_busy_time_is_ignored() -> None:
    busy = Busy("t2", local(LONDON, 2025, 6, 2, 9), local(LONDON, 2025, 6, 2, 17))
    found = slots(clinic(), appt(60, step=60), [therapist("t1", "09:00-11:00")], MON, busy=(busy,))
    assert walls(found, LONDON) == ["09:00", "10:00"]


def test_minimum_notice_counts_from_now() -> None:
    now = local(LONDON, 2025, 6, 2, 9, 5)
    kind = appt(30, step=30, notice=timedelta(hours=1))
    found = slots(clinic(), kind, [therapist("t1", "09:00-12:00")], MON, now=now)
    assert walls(found, LONDON) == ["10:30", "11:00", "11:30"]


def test_horizon_counts_local_dates() -> None:
    now = local(LONDON, 2025, 6, 2, 23, 30)  # horizon 2 days: up to and including 4 June
    kind = appt(60, step=60, horizon=2)
    found = slots(clinic(), kind, [therapist("t1", "09:00-10:00")], MON, date(2025, 6, 10), now=now)
    assert [s.start_utc.date() for s in found] == [date(2025, 6, 3), date(2025, 6, 4)]


def test_horizon_uses_clinic_date_not_utc_date() -> None:
    # 00:30 in Sydney on 3 June is still 2 June in UTC; the horizon counts from 3 June.
    now = local("Australia/Sydney", 2025, 6, 3, 0, 30)
    cal = clinic("Australia/Sydney")
    found = slots(
        cal,
        appt(60, step=60, horizon=0),
        [therapist("t1", "09:00-10:00")],
        date(2025, 6, 1),
        date(2025, 6, 9),
        now=now,
    )
    assert [s.start_utc for s in found] == [local("Australia/Sydney", 2025, 6, 3, 9)]


def test_any_therapist_lists_each_start_once_with_everyone_free() -> None:
    kind = appt(60, step=60)
    team = [therapist("b", "09:00-11:00"), therapist("a", "10:00-12:00")]
    found = slots(clinic(), kind, team, MON)
    assert [(w, s.therapist_ids) for w, s in zip(walls(found, LONDON), found, strict=True)] == [
        ("09:00", ("b",)),
        ("10:00", ("b", "a")),
        ("11:00", ("a",)),
    ]


def test_pick_therapist_least_loaded_then_input_order() -> None:
    slot = Slot(utc(2025, 1, 1, 9), utc(2025, 1, 1, 10), ("b", "a", "c"))
    assert pick_therapist(slot) == "b"
    assert pick_therapist(slot, {"b": 3, "a": 1, "c": 1}) == "a"


def test_time_off_and_range_outside_schedule() -> None:
    off = TimeOff.days(MON)
    assert slots(clinic(), appt(), [therapist("t1", time_off=(off,))], MON) == ()
    assert slots(clinic(), appt(), [therapist("t1")], MON, MON - timedelta(1)) == ()


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # Spring forward 02:00 -> 03:00: 01:00-04:00 has two real hours.
        ("America/New_York", date(2025, 3, 9), ["01:00", "03:00"]),
        # Fall back 02:00 -> 01:00: 01:00 happens twice, both passes are bookable.
        ("America/New_York", date(2025, 11, 2), ["01:00", "01:00", "02:00", "03:00"]),
        ("Europe/London", date(2025, 3, 30), ["00:00", "02:00", "03:00"]),
        ("Australia/Sydney", date(2025, 4, 6), ["01:00", "02:00", "02:00", "03:00"]),
        ("Australia/Sydney", date(2025, 10, 5), ["01:00", "03:00"]),
        # Lord Howe jumps 30 minutes: 02:00-02:30 does not exist.
        ("Australia/Lord_Howe", date(2025, 10, 5), ["01:00", "03:00"]),
        ("America/Phoenix", date(2025, 3, 9), ["01:00", "02:00", "03:00"]),
    ],
)
def test_night_slots_on_dst_days(zone: str, day: date, expected: list[str]) -> None:
    hours = "00:00-04:00" if zone == "Europe/London" else "01:00-04:00"
    cal = clinic(zone, "00:00-23:00")
    found = slots(cal, appt(60, step=60), [therapist("t1", hours)], day)
    assert walls(found, zone) == expected
    assert all(b.start_utc - a.start_utc >= minutes(60) for a, b in pairwise(found))


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/New_York", date(2025, 3, 9)),
        ("Europe/London", date(2025, 10, 26)),
        ("Australia/Sydney", date(2025, 10, 5)),
        ("Australia/Lord_Howe", date(2025, 4, 6)),
    ],
)
def test_daytime_hours_unchanged_on_dst_days(zone: str, day: date) -> None:
    found = slots(clinic(zone), appt(60, step=60), [therapist("t1", "09:00-12:00")], day)
    assert walls(found, zone) == ["09:00", "10:00", "11:00"]
    assert found[0].start_utc == local(zone, day.year, day.month, day.day, 9)
