"""Working time: breaks, overrides, time off, closures, clipping to opening hours."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from unknot.scheduling import (
    ClinicCalendar,
    Closure,
    DateOverride,
    TherapistSchedule,
    TimeOff,
    TimeRange,
    WeeklyHours,
    wall_of,
    working_time,
)

from ._builders import clinic, local, therapist

LONDON = "Europe/London"
MON = date(2025, 6, 2)


def local_ranges(spans: list, tz_name: str = LONDON) -> list[str]:
    tz = ZoneInfo(tz_name)
    return [f"{wall_of(s.start, tz):%H:%M}-{wall_of(s.end, tz):%H:%M}" for s in spans]


def test_breaks_split_the_day() -> None:
    spans = working_time(clinic(), therapist("t1", "09:00-12:00", "13:00-17:00"), [MON])
    assert local_ranges(spans) == ["09:00-12:00", "13:00-17:00"]


def test_clipped_to_clinic_opening_hours() -> None:
    cal = clinic(LONDON, "10:00-16:00")
    assert local_ranges(working_time(cal, therapist(), [MON])) == ["10:00-16:00"]


def test_override_replaces_weekly_hours_for_that_date_only() -> None:
    override = DateOverride(MON, (TimeRange.parse("14:00-19:00"),))
    schedule = therapist("t1", overrides=(override,))
    spans = working_time(clinic(), schedule, [MON, date(2025, 6, 3)])
    assert local_ranges(spans) == ["14:00-19:00", "09:00-17:00"]


def test_override_without_hours_means_day_off() -> None:
    schedule = therapist("t1", overrides=(DateOverride(MON),))
    assert working_time(clinic(), schedule, [MON]) == []


def test_partial_time_off_in_local_wall_clock() -> None:
    off = TimeOff(datetime(2025, 6, 2, 11), datetime(2025, 6, 2, 14, 30))
    spans = working_time(clinic(), therapist("t1", time_off=(off,)), [MON])
    assert local_ranges(spans) == ["09:00-11:00", "14:30-17:00"]


def test_partial_time_off_as_utc_instants() -> None:
    off = TimeOff(local(LONDON, 2025, 6, 2, 9), local(LONDON, 2025, 6, 2, 10))
    spans = working_time(clinic(), therapist("t1", time_off=(off,)), [MON])
    assert local_ranges(spans) == ["10:00-17:00"]


def test_whole_day_time_off_covers_inclusive_dates() -> None:
    off = TimeOff.days(MON, date(2025, 6, 3))
    days = [MON, date(2025, 6, 3), date(2025, 6, 4)]
    spans = working_time(clinic(), therapist("t1", time_off=(off,)), days)
    assert local_ranges(spans) == ["09:00-17:00"]
    assert wall_of(spans[0].start, ZoneInfo(LONDON)).date() == date(2025, 6, 4)


def test_closure_range_removes_days() -> None:
    cal = clinic(LONDON, closures=(Closure(MON, date(2025, 6, 3), "Training"),))
    spans = working_time(cal, therapist(), [MON, date(2025, 6, 3), date(2025, 6, 4)])
    assert len(spans) == 1


def test_closure_beats_clinic_override() -> None:
    cal = clinic(
        LONDON,
        closures=(Closure(MON),),
        overrides=(DateOverride(MON, (TimeRange.parse("08:00-12:00"),)),),
    )
    assert cal.hours_on(MON) == ()


def test_clinic_override_changes_opening_hours() -> None:
    cal = clinic(LONDON, overrides=(DateOverride(MON, (TimeRange.parse("07:00-10:00"),)),))
    assert local_ranges(working_time(cal, therapist(), [MON])) == ["09:00-10:00"]


def test_schedule_for_another_clinic_is_refused() -> None:
    schedule = TherapistSchedule("t1", "other", WeeklyHours())
    with pytest.raises(ValueError, match="belongs to clinic"):
        working_time(clinic(), schedule, [MON])


def test_bad_inputs_fail_early() -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        TimeRange(time(17), time(9))
    with pytest.raises(ValueError, match="seven days"):
        WeeklyHours(((),))
    with pytest.raises(ValueError, match="unknown time zone"):
        ClinicCalendar("c", "Mars/Olympus", WeeklyHours())
    with pytest.raises(ValueError, match="both be naive or both aware"):
        TimeOff(datetime(2025, 1, 2), local(LONDON, 2025, 1, 3))
    with pytest.raises(ValueError, match="two overrides"):
        therapist("t1", overrides=(DateOverride(MON), DateOverride(MON)))
