"""Series: wanted visits, all-or-none conflicts, nearest same-day alternative."""

from datetime import date, time, timedelta

import pytest

from unknot.scheduling import Busy, Closure, Reason, SeriesPattern, plan_series, wanted_days

from ._builders import appt, clinic, local, therapist

LONDON = "Europe/London"
MON = date(2025, 6, 2)
NOW = local(LONDON, 2025, 5, 30, 12)


def plan(pattern: SeriesPattern, busy: tuple[Busy, ...] = (), **cal: object):
    return plan_series(
        pattern,
        clinic=clinic(LONDON, **cal),  # type: ignore[arg-type]
        appointment_type=appt(45, step=15),
        schedule=therapist("t1", "09:00-12:00", "13:00-17:00"),
        busy=busy,
        now=NOW,
    )


def test_wanted_days_by_weeks_and_by_visits() -> None:
    by_weeks = SeriesPattern(MON, (0, 3), time(10), weeks=3)
    assert [d.day for d in wanted_days(by_weeks)] == [2, 5, 9, 12, 16, 19]
    # Starting on a Wednesday: the first visit is the next matching day.
    by_visits = SeriesPattern(date(2025, 6, 4), (0, 3), time(10), visits=3)
    assert [d.day for d in wanted_days(by_visits)] == [5, 9, 12]
    both = SeriesPattern(MON, (0, 3), time(10), weeks=6, visits=2)
    assert len(list(wanted_days(both))) == 2


def test_series_all_free() -> None:
    result = plan(SeriesPattern(MON, (0, 3), time(10), weeks=2))
    assert result.ok
    assert result.visits[0] == local(LONDON, 2025, 6, 2, 10)
    assert len(result.visits) == 4


def test_conflicts_are_named_with_nearest_alternative() -> None:
    busy = (Busy("t1", local(LONDON, 2025, 6, 5, 9, 30), local(LONDON, 2025, 6, 5, 11)),)
    closed = (Closure(date(2025, 6, 9), reason="Bank holiday"),)
    result = plan(SeriesPattern(MON, (0, 3), time(10), weeks=2), busy, closures=closed)
    assert not result.ok
    assert len(result.visits) == 4
    by_day = {c.day: c for c in result.conflicts}
    assert set(by_day) == {date(2025, 6, 5), date(2025, 6, 9)}
    busy_day = by_day[date(2025, 6, 5)]
    assert busy_day.reason is Reason.BUSY
    assert busy_day.alternative is not None
    assert busy_day.alternative.start_utc == local(LONDON, 2025, 6, 5, 11)
    closure = by_day[date(2025, 6, 9)]
    assert closure.reason is Reason.CLINIC_CLOSED
    assert closure.alternative is None


def test_nearest_alternative_prefers_earlier_on_tie() -> None:
    busy = (Busy("t1", local(LONDON, 2025, 6, 2, 9, 45), local(LONDON, 2025, 6, 2, 11)),)
    result = plan(SeriesPattern(MON, (0,), time(10), visits=1), busy)
    [conflict] = result.conflicts
    # 09:00 (an hour early) and 11:00 (an hour late) tie; the earlier wins.
    assert conflict.alternative is not None
    assert conflict.alternative.start_utc == local(LONDON, 2025, 6, 2, 9)


def test_preferred_time_in_dst_gap_moves_to_the_jump() -> None:
    result = plan_series(
        SeriesPattern(date(2025, 3, 30), (6,), time(1, 30), visits=1),
        clinic=clinic(LONDON, "00:00-23:00"),
        appointment_type=appt(30, step=30),
        schedule=therapist("t1", "00:00-06:00"),
        busy=(),
        now=local(LONDON, 2025, 3, 1, 0),
    )
    assert result.ok
    assert result.visits == (local(LONDON, 2025, 3, 30, 2),)
    assert result.visits[0] - local(LONDON, 2025, 3, 30, 0) == timedelta(hours=1)


def test_bad_patterns() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        SeriesPattern(MON, (), time(10), weeks=1)
    with pytest.raises(ValueError, match="number of weeks"):
        SeriesPattern(MON, (0,), time(10))
    with pytest.raises(ValueError, match="weekdays"):
        SeriesPattern(MON, (7,), time(10), visits=2)
