"""The DST policy: gap -> the jump, fold -> the first pass; 09:00-17:00 stays local."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from unknot.scheduling import TimeRange, exists, to_utc, wall_of
from unknot.scheduling.localtime import day_bounds
from unknot.scheduling.working import day_spans

from ._builders import utc

NINE_TO_FIVE = (TimeRange(time(9), time(17)),)


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("America/New_York", date(2025, 3, 9), 23),
        ("America/New_York", date(2025, 11, 2), 25),
        ("Europe/London", date(2025, 3, 30), 23),
        ("Europe/London", date(2025, 10, 26), 25),
        ("Australia/Sydney", date(2025, 10, 5), 23),
        ("Australia/Sydney", date(2025, 4, 6), 25),
        ("Australia/Lord_Howe", date(2025, 10, 5), 23.5),
        ("Australia/Lord_Howe", date(2025, 4, 6), 24.5),
        ("America/Phoenix", date(2025, 3, 9), 24),
    ],
)
def test_dst_day_lengths_and_nine_to_five_stays_local(zone: str, day: date, hours: float) -> None:
    tz = ZoneInfo(zone)
    start, end = day_bounds(day, tz)
    assert end - start == timedelta(hours=hours)
    [span] = day_spans(day, NINE_TO_FIVE, tz)
    assert span.end - span.start == timedelta(hours=8)
    assert wall_of(span.start, tz) == datetime.combine(day, time(9))
    assert wall_of(span.end, tz) == datetime.combine(day, time(17))


@pytest.mark.parametrize(
    ("zone", "wall", "jump"),
    [
        ("America/New_York", datetime(2025, 3, 9, 2, 30), utc(2025, 3, 9, 7)),
        ("Europe/London", datetime(2025, 3, 30, 1, 15), utc(2025, 3, 30, 1)),
        ("Australia/Sydney", datetime(2025, 10, 5, 2, 0), utc(2025, 10, 4, 16)),
        ("Australia/Lord_Howe", datetime(2025, 10, 5, 2, 10), utc(2025, 10, 4, 15, 30)),
    ],
)
def test_wall_time_in_gap_resolves_to_the_jump(zone: str, wall: datetime, jump: datetime) -> None:
    tz = ZoneInfo(zone)
    assert not exists(wall, tz)
    assert to_utc(wall, tz) == jump
    # The jump is the first instant that exists after the skipped wall time.
    assert wall_of(jump, tz) > wall
    assert wall_of(jump - timedelta(seconds=1), tz) < wall


@pytest.mark.parametrize(
    ("zone", "wall", "first_pass"),
    [
        ("America/New_York", datetime(2025, 11, 2, 1, 30), utc(2025, 11, 2, 5, 30)),
        ("Europe/London", datetime(2025, 10, 26, 1, 30), utc(2025, 10, 26, 0, 30)),
        ("Australia/Sydney", datetime(2025, 4, 6, 2, 30), utc(2025, 4, 5, 15, 30)),
        ("Australia/Lord_Howe", datetime(2025, 4, 6, 1, 45), utc(2025, 4, 5, 14, 45)),
    ],
)
def test_ambiguous_wall_time_resolves_to_first_pass(
    zone: str, wall: datetime, first_pass: datetime
) -> None:
    tz = ZoneInfo(zone)
    assert to_utc(wall, tz) == first_pass
    second_pass = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    assert second_pass > first_pass
    assert wall_of(second_pass, tz) == wall


def test_range_partly_in_gap_keeps_only_existing_part() -> None:
    tz = ZoneInfo("America/New_York")
    day = date(2025, 3, 9)
    [span] = day_spans(day, (TimeRange(time(1, 30), time(2, 30)),), tz)
    assert span == (utc(2025, 3, 9, 6, 30), utc(2025, 3, 9, 7))
    [span] = day_spans(day, (TimeRange(time(2, 30), time(4)),), tz)
    assert wall_of(span.start, tz) == datetime(2025, 3, 9, 3)
    assert span.end - span.start == timedelta(hours=1)


def test_range_wholly_in_gap_vanishes() -> None:
    tz = ZoneInfo("Europe/London")
    assert day_spans(date(2025, 3, 30), (TimeRange(time(1, 10), time(1, 50)),), tz) == []


def test_range_across_fold_covers_both_passes() -> None:
    tz = ZoneInfo("America/New_York")
    [span] = day_spans(date(2025, 11, 2), (TimeRange(time(0, 30), time(2)),), tz)
    assert span.end - span.start == timedelta(hours=2, minutes=30)


def test_range_ending_in_fold_ends_at_first_pass() -> None:
    tz = ZoneInfo("America/New_York")
    [span] = day_spans(date(2025, 11, 2), (TimeRange(time(0, 30), time(1, 30)),), tz)
    assert span.end == utc(2025, 11, 2, 5, 30)


def test_zone_changing_at_midnight_starts_day_at_the_jump() -> None:
    tz = ZoneInfo("America/Santiago")  # 2025-09-07 00:00 -> 01:00
    start, _ = day_bounds(date(2025, 9, 7), tz)
    assert wall_of(start, tz) == datetime(2025, 9, 7, 1)
