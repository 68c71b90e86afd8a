"""COURSE-1: recovering as expected for the STarT Back risk group, or not, and what to do."""

import pytest

from unknot.care.course import (
    CHANGE_PLAN,
    OFF_TRACK,
    ON_TRACK,
    REASSESS,
    REFER,
    TOO_EARLY,
    UNKNOWN,
    Measured,
    check_course,
    function_due_week,
)
from unknot.care.settings import Settings

PAIN_BETTER = Measured(baseline=7, latest=4, latest_week=4)  # down 3: past the MCID of 2
PAIN_SAME = Measured(baseline=7, latest=6, latest_week=4)  # down 1: no meaningful change
ODI_BETTER = Measured(baseline=44, latest=24, latest_week=8)  # down 20 points
ODI_SAME = Measured(baseline=44, latest=40, latest_week=8)


def check(weeks: float | None, risk: str | None = "low", pain: Measured | None = PAIN_BETTER,
          function: Measured | None = ODI_BETTER) -> tuple[str, str | None]:  # fmt: skip
    found = check_course(weeks_in_care=weeks, risk=risk, pain=pain, function=function)
    return found.verdict, found.action


def test_before_the_review_point_it_is_too_early() -> None:
    assert check(3.9, pain=PAIN_SAME, function=ODI_SAME) == (TOO_EARLY, None)


def test_no_pain_improvement_after_four_weeks_suggests_the_referral() -> None:
    assert check(4, pain=PAIN_SAME) == (OFF_TRACK, REFER)
    worse = Measured(baseline=5, latest=7, latest_week=5)
    assert check(5, risk="high", pain=worse) == (OFF_TRACK, REFER)


@pytest.mark.parametrize(("risk", "due"), [("low", 4), ("medium", 6), ("high", 8), (None, 8)])
def test_function_is_due_later_for_higher_risk_and_unknown_risk_is_the_slowest(
    risk: str | None, due: int
) -> None:
    assert function_due_week(risk) == due
    odi = Measured(baseline=44, latest=40, latest_week=due)
    # Half a week before it is due, function is not judged yet: only pain counts (or, for the
    # low-risk group, it is still before the review point).
    assert check(due - 0.5, risk=risk, function=odi)[0] == (ON_TRACK if due > 4 else TOO_EARLY)
    assert check(due, risk=risk, function=odi) == (OFF_TRACK, CHANGE_PLAN)


def test_improving_in_both_is_on_track() -> None:
    assert check(8, risk="high") == (ON_TRACK, None)


def test_a_measure_not_taken_again_since_the_review_is_unknown_never_on_track() -> None:
    stale_pain = Measured(baseline=7, latest=4, latest_week=2)
    found = check_course(weeks_in_care=5, risk="low", pain=stale_pain, function=ODI_BETTER)
    assert (found.verdict, found.action) == (UNKNOWN, REASSESS)
    assert found.reasons == ("pain_not_remeasured",)
    stale_odi = Measured(baseline=44, latest=20, latest_week=1)
    found = check_course(weeks_in_care=5, risk="low", pain=PAIN_BETTER, function=stale_odi)
    assert (found.verdict, found.reasons) == (UNKNOWN, ("function_not_remeasured",))
    assert check(5, pain=None, function=None) == (UNKNOWN, REASSESS)


def test_without_a_start_of_care_nothing_is_claimed() -> None:
    assert check(None) == (UNKNOWN, None)


def test_the_weeks_are_settings() -> None:
    slow = Settings(course_review_weeks=6, course_function_weeks_low=10)
    found = check_course(weeks_in_care=5, risk="low", pain=PAIN_SAME, function=ODI_SAME,
                         settings=slow)  # fmt: skip
    assert found.verdict == TOO_EARLY
    found = check_course(weeks_in_care=8, risk="low", pain=Measured(7, 4, 8), function=ODI_SAME,
                         settings=slow)  # fmt: skip
    assert found.verdict == ON_TRACK  # pain improved by week 6; function not due until week 10
    assert found.rule_id == "COURSE-1"
