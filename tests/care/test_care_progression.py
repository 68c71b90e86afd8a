"""PROG-1 (heuristic): ready for active care, ready to load more."""

from hypothesis import given
from hypothesis import strategies as st

from unknot.care import ProgressPoint, check_progression


def ready(base: ProgressPoint, now: ProgressPoint) -> bool | None:
    return check_progression(base, now).ready_for_active_care


GOOD = {"symptom_course": "stable", "flare_24h": False}


def test_all_criteria_met() -> None:
    result = check_progression(ProgressPoint(7, 50), ProgressPoint(5, 40, **GOOD))  # type: ignore[arg-type]
    assert result.ready_for_active_care is True and result.ready_to_load_more is True
    assert result.heuristic and result.rule_id == "PROG-1"


def test_pain_boundaries() -> None:
    assert ready(ProgressPoint(7, 50), ProgressPoint(6, 40, "stable", False)) is False
    assert ready(ProgressPoint(4, 50), ProgressPoint(3, 40, "stable", False)) is True  # <= 3
    assert ready(ProgressPoint(None, 50), ProgressPoint(3, 40, "stable", False)) is True


def test_disability_points_or_band() -> None:
    # 9 points but severe -> moderate band: counts.
    assert ready(ProgressPoint(7, 45), ProgressPoint(5, 36, "stable", False)) is True
    # 9 points within the same band: does not.
    assert ready(ProgressPoint(7, 59), ProgressPoint(5, 50, "stable", False)) is False


def test_flare_or_peripheralising_blocks() -> None:
    assert ready(ProgressPoint(7, 50), ProgressPoint(3, 30, "stable", True)) is False
    assert ready(ProgressPoint(7, 50), ProgressPoint(3, 30, "peripheralising", False)) is False


def test_unknown_is_none_with_reason() -> None:
    result = check_progression(ProgressPoint(7, None), ProgressPoint(3, None, "stable", False))
    assert result.ready_for_active_care is None
    assert any(r.startswith("unknown: disability") for r in result.reasons)


def test_load_more_blocked_by_worse_pain() -> None:
    result = check_progression(ProgressPoint(3, 30), ProgressPoint(5, 30, "stable", False))
    assert result.ready_to_load_more is False


@given(st.integers(0, 10), st.integers(0, 10), st.floats(0, 100), st.floats(0, 100), st.booleans())
def test_a_flare_always_blocks(b: int, n: int, bo: float, no: float, flare: bool) -> None:
    result = check_progression(ProgressPoint(b, bo), ProgressPoint(n, no, "stable", flare))
    if flare:
        assert result.ready_for_active_care is False and result.ready_to_load_more is False
    else:
        assert result.ready_for_active_care is not None
