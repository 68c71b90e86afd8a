"""Opening hours for the public pages and "open now?"."""

from datetime import date, time

from unknot.scheduling import (
    ClinicCalendar,
    Closure,
    DateOverride,
    TimeRange,
    WeeklyHours,
    format_hours,
    open_now,
    regular_hours,
    week_hours,
)

from ._builders import local

SYDNEY = "Australia/Sydney"
CLINIC = ClinicCalendar(
    "c1",
    SYDNEY,
    WeeklyHours.from_mapping(
        {0: ["08:00-12:00", "13:00-18:00"], 2: ["08:00-12:00"], 5: [(time(9), time.max)]}
    ),
    closures=(Closure(date(2025, 10, 6), reason="Labour Day"),),
    overrides=(DateOverride(date(2025, 10, 8), (TimeRange.parse("10:00-14:00"),)),),
)


def test_regular_hours_table() -> None:
    table = regular_hours(CLINIC)
    assert [row.name for row in table][:2] == ["Monday", "Tuesday"]
    assert table[0].text == "08:00\u201312:00, 13:00\u201318:00"
    assert table[1].text == "Closed"
    assert table[5].text == "09:00\u201324:00"


def test_week_applies_closures_and_special_hours() -> None:
    week = week_hours(CLINIC, date(2025, 10, 9))
    assert week[0].day == date(2025, 10, 6)
    assert (week[0].text, week[0].note) == ("Closed", "Labour Day")
    assert (week[2].text, week[2].note) == ("10:00\u201314:00", "Special hours")
    assert week[1].note == ""


def test_open_now_on_a_dst_day() -> None:
    # Sydney springs forward on 5 Oct 2025; the Monday after is a closure, Tuesday closed.
    status = open_now(CLINIC, local(SYDNEY, 2025, 10, 4, 10))
    assert status.is_open
    assert status.closes_at_utc == local(SYDNEY, 2025, 10, 4, 23, 59, 59, 999999)
    closed = open_now(CLINIC, local(SYDNEY, 2025, 10, 6, 9))
    assert not closed.is_open
    assert closed.next_opening_utc == local(SYDNEY, 2025, 10, 8, 10)


def test_open_now_during_lunch_break() -> None:
    status = open_now(CLINIC, local(SYDNEY, 2025, 10, 13, 12, 30))
    assert not status.is_open
    assert status.next_opening_utc == local(SYDNEY, 2025, 10, 13, 13)


def test_format_hours_empty_is_closed() -> None:
    assert format_hours(()) == "Closed"
