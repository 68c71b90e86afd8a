"""MCID-*: improved / unchanged / worse against the meaningful-change thresholds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot.care import Settings, nprs_change, odi_change, psfs_change, psfs_item_changes
from unknot.care.model import PsfsItem

FRITZ = Settings(odi_mcid_points=6, odi_mcid_percent=0)


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (7, 5, "improved"),
        (7, 6, "unchanged"),
        (5, 7, "worse"),
        (5, 6, "unchanged"),
        (3, 3, "unchanged"),
    ],
)
def test_nprs_two_points(before: int, after: int, verdict: str) -> None:
    assert nprs_change(before, after).verdict == verdict


@pytest.mark.parametrize(
    ("before", "after", "config", "verdict"),
    [
        (50, 40, Settings(), "improved"),  # 10 points
        (50, 41, Settings(), "unchanged"),  # 9 points and 18 %
        (20, 14, Settings(), "improved"),  # 6 points but 30 % of 20
        (20, 15, Settings(), "unchanged"),  # 25 %
        (40, 50, Settings(), "worse"),
        (20, 26, Settings(), "unchanged"),  # 30 % only counts towards improvement
        (50, 44, FRITZ, "improved"),  # the 6-point alternative
        (50, 45, FRITZ, "unchanged"),
        (44, 50, FRITZ, "worse"),
        (0, 0, Settings(), "unchanged"),
    ],
)
def test_odi_threshold(before: float, after: float, config: Settings, verdict: str) -> None:
    result = odi_change(before, after, config)
    assert (result.verdict, result.rule_id) == (verdict, "MCID-ODI")


def test_psfs_mean_and_single_activity() -> None:
    assert psfs_change(3, 5).verdict == "improved"
    assert psfs_change(3, 4.5).verdict == "unchanged"
    assert psfs_change(5, 3).verdict == "worse"
    before = [PsfsItem("Lifting", 2), PsfsItem("Sitting", 5)]
    after = [PsfsItem("lifting", 5), PsfsItem("Sitting", 7), PsfsItem("Running", 1)]
    changes = {c.measure: c.verdict for c in psfs_item_changes(before, after)}
    assert changes == {"psfs:lifting": "improved", "psfs:Sitting": "unchanged"}


@given(st.integers(0, 10), st.integers(0, 10))
def test_nprs_change_is_antisymmetric(a: int, b: int) -> None:
    flip = {"improved": "worse", "worse": "improved", "unchanged": "unchanged"}
    assert nprs_change(a, b).verdict == flip[nprs_change(b, a).verdict]


@given(st.floats(0, 100), st.floats(0, 100))
def test_odi_change_points_always_count(a: float, b: float) -> None:
    result = odi_change(a, b)
    if a - b >= 10:
        assert result.verdict == "improved"
    if b - a >= 10:
        assert result.verdict == "worse"
    if abs(a - b) < 10 and b >= a:
        assert result.verdict == "unchanged"
