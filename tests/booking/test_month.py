"""The month of free days and the parts of a day, on plain values."""

import datetime as dt
import zoneinfo

from unknot.booking import month
from unknot.scheduling import Slot

DENVER = zoneinfo.ZoneInfo("America/Denver")


def at(day: dt.date, hhmm: str) -> month.FreeTime:
    start = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), DENVER)
    return month.FreeTime(start, 7)


def test_weeks_start_on_sunday_and_hold_the_whole_month() -> None:
    view = month.month_view(dt.date(2031, 3, 1), {}, month.window(dt.date(2031, 3, 1), 60))
    first_week, *_, last_week = view.weeks
    assert first_week[0].day == dt.date(2031, 2, 23) and first_week[0].day.weekday() == 6
    assert not first_week[0].in_month and first_week[-1].day == dt.date(2031, 3, 1)
    assert last_week[-1].day.weekday() == 5 and last_week[-1].day >= dt.date(2031, 3, 31)
    assert not view.has_free_days


def test_months_around_are_offered_only_inside_the_window() -> None:
    bookable = month.window(dt.date(2031, 3, 20), 20)  # to April 9
    march = month.month_view(dt.date(2031, 3, 1), {}, bookable)
    april = month.month_view(dt.date(2031, 4, 1), {}, bookable)
    assert (march.previous, march.next) == (None, dt.date(2031, 4, 1))
    assert (april.previous, april.next) == (dt.date(2031, 3, 1), None)
    december = month.window(dt.date(2031, 12, 30), 5)
    assert month.month_view(dt.date(2031, 12, 1), {}, december).next == dt.date(2032, 1, 1)


def test_the_search_covers_the_months_bookable_days_only() -> None:
    bookable = month.window(dt.date(2031, 3, 20), 20)
    assert month.days_searched(dt.date(2031, 3, 1), bookable) == (
        dt.date(2031, 3, 20), dt.date(2031, 3, 31),
    )  # fmt: skip
    assert month.days_searched(dt.date(2031, 4, 1), bookable) == (
        dt.date(2031, 4, 1), dt.date(2031, 4, 9),
    )  # fmt: skip
    assert month.days_searched(dt.date(2031, 5, 1), bookable) is None


def test_free_times_fall_on_the_clinics_day_not_utcs() -> None:
    late = dt.datetime(2031, 3, 5, 17, 30, tzinfo=DENVER).astimezone(dt.UTC)  # 00:30 UTC next day
    slot = Slot(late, late + dt.timedelta(minutes=45), (3, 4))
    free = month.free_times([slot], DENVER)
    assert list(free) == [dt.date(2031, 3, 5)]
    assert free[dt.date(2031, 3, 5)][0].therapist_id == 3


def test_parts_of_the_day_split_at_noon_and_five() -> None:
    day = dt.date(2031, 3, 5)
    times = [at(day, t) for t in ("08:00", "11:59", "12:00", "16:59", "17:00")]
    parts = dict(month.by_part_of_day(times))
    assert [t.start.strftime("%H:%M") for t in parts["Morning"]] == ["08:00", "11:59"]
    assert [t.start.strftime("%H:%M") for t in parts["Afternoon"]] == ["12:00", "16:59"]
    assert [t.start.strftime("%H:%M") for t in parts["Evening"]] == ["17:00"]
    assert [name for name, _ in month.by_part_of_day(times[:2])] == ["Morning"]


def test_a_time_is_found_whatever_zone_it_is_given_in() -> None:
    day = dt.date(2031, 3, 5)
    times = [at(day, "09:00"), at(day, "10:00")]
    asked = times[1].start.astimezone(dt.UTC)
    assert month.time_at(times, asked) == times[1]
    assert month.time_at(times, asked + dt.timedelta(minutes=5)) is None
