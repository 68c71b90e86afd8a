"""SBST-*, ODI-*, NPRS-*, PSFS-*, FABQ-*: scoring and every boundary in RULES section 2."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot.care import (
    NotScored,
    Settings,
    odi_band,
    score_fabq,
    score_nprs,
    score_odi,
    score_psfs,
    score_start_back,
    start_back_risk,
)
from unknot.care.instruments.fabq import FabqScore, FabqSubscale
from unknot.care.instruments.odi import OdiScore
from unknot.care.instruments.start_back import StartBackScore
from unknot.care.model import PsfsItem

ITEM9 = ["not_at_all", "slightly", "moderately", "very_much", "extremely"]


def sbst(agreed: set[int], item9: str = "not_at_all") -> StartBackScore:
    items: list[bool | str | None] = [i in agreed for i in range(1, 9)]
    result = score_start_back([*items, item9])
    assert isinstance(result, StartBackScore)
    return result


def test_sbst_worked_example() -> None:
    result = sbst({1, 3, 5}, "very_much")
    assert (result.total, result.psychosocial, result.risk) == (4, 2, "medium")
    assert result.risk_answer_loinc == "LA8982-6"
    assert {c.code for c in result.loinc} == {"91349-1", "91351-7", "91350-9", "91352-5"}


@pytest.mark.parametrize(
    ("agreed", "item9", "expected"),
    [
        ({1, 2, 3}, "not_at_all", (3, 0, "low")),  # total 3: the low cut-off, inclusive
        ({5, 6, 7}, "very_much", (4, 4, "high")),  # total <= 3 fails, psychosocial 4 -> high
        ({1, 2, 3, 5}, "not_at_all", (4, 1, "medium")),  # total 4 -> not low
        ({1, 5, 6, 7}, "moderately", (4, 3, "medium")),  # psychosocial 3 -> medium
        ({1, 5, 6, 7}, "extremely", (5, 4, "high")),  # psychosocial 4 -> high
        ({5, 6, 7, 8}, "slightly", (4, 4, "high")),
        (set(range(1, 9)), "extremely", (9, 5, "high")),
        (set(), "not_at_all", (0, 0, "low")),
    ],
)
def test_sbst_cut_offs(agreed: set[int], item9: str, expected: tuple[int, int, str]) -> None:
    result = sbst(agreed, item9)
    assert (result.total, result.psychosocial, result.risk) == expected


@pytest.mark.parametrize(("answer", "point"), list(zip(ITEM9, [0, 0, 0, 1, 1], strict=True)))
def test_sbst_item9_points(answer: str, point: int) -> None:
    assert sbst(set(), answer).total == point


def test_sbst_item9_moderately_keeps_low() -> None:
    # Three agreed plus "moderately" stays at 3: low; "very much" would tip it to 4.
    assert sbst({1, 2, 3}, "moderately").risk == "low"
    assert sbst({1, 2, 3}, "very_much").risk == "medium"


def test_sbst_missing_item_not_scored() -> None:
    result = score_start_back([True, None, *([False] * 6), "slightly"])
    assert isinstance(result, NotScored)
    assert "2" in result.reason


@given(st.lists(st.booleans(), min_size=8, max_size=8), st.sampled_from(ITEM9))
def test_sbst_properties(items: list[bool], item9: str) -> None:
    result = score_start_back([*items, item9])
    assert isinstance(result, StartBackScore)
    assert 0 <= result.psychosocial <= min(5, result.total) <= 9
    assert result.risk == start_back_risk(result.total, result.psychosocial)
    if result.total <= 3:
        assert result.risk == "low"


def odi(sections: list[int | None], settings: Settings | None = None) -> OdiScore | NotScored:
    return score_odi(sections, settings or Settings())


def test_odi_worked_examples() -> None:
    full = odi([3, 3, 3, 2, 2, 2, 2, 2, 2, 2])  # 23 / 50
    assert isinstance(full, OdiScore)
    assert (full.percent, full.band, full.sum) == (46.0, "severe", 23)
    nine = odi([3, 3, 3, 3, 3, 3, 3, 3, 3, None])  # 27 / 45
    assert isinstance(nine, OdiScore)
    assert (nine.percent, nine.band, nine.sections_missing) == (60.0, "severe", 1)
    assert "ODI-MISSING" in nine.rule_ids
    assert {c.code for c in nine.loinc} == {"97908-8", "97909-6"}


@pytest.mark.parametrize(
    ("missing", "limit", "scored"),
    [(0, 1, True), (1, 1, True), (2, 1, False), (3, 1, False), (2, 2, True), (3, 2, False)],
)
def test_odi_missing_sections(missing: int, limit: int, scored: bool) -> None:
    sections: list[int | None] = [2] * (10 - missing) + [None] * missing
    result = odi(sections, Settings(odi_max_missing_sections=limit))
    assert isinstance(result, OdiScore) is scored
    if isinstance(result, OdiScore):
        assert result.percent == 40.0
        assert result.sections_answered == 10 - missing
    else:
        assert result.rule_id == "ODI-MISSING"
        assert f"{missing} of 10" in result.reason


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, "minimal"),
        (20, "minimal"),
        (Fraction(41, 2), "moderate"),
        (40, "moderate"),
        (Fraction(401, 10), "severe"),
        (60, "severe"),
        (Fraction(6001, 100), "crippling"),
        (80, "crippling"),
        (Fraction(801, 10), "bed_bound_or_exaggerating"),
        (100, "bed_bound_or_exaggerating"),
    ],
)
def test_odi_band_bounds_inclusive(percent: Fraction, band: str) -> None:
    assert odi_band(percent) == band


def test_odi_band_uses_unrounded_score() -> None:
    # 9 sections summing 9 -> exactly 20.0 (minimal); summing 10 -> 22.2 (moderate).
    low = odi([1] * 9 + [None])
    high = odi([2, 1, 1, 1, 1, 1, 1, 1, 1, None])
    assert isinstance(low, OdiScore) and low.band == "minimal"
    assert isinstance(high, OdiScore) and high.band == "moderate"


@given(
    st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=10, max_size=10),
    st.integers(0, 3),
)
def test_odi_properties(sections: list[int | None], limit: int) -> None:
    result = odi(sections, Settings(odi_max_missing_sections=limit))
    missing = sections.count(None)
    if missing > limit or missing == 10:
        assert isinstance(result, NotScored)
        return
    assert isinstance(result, OdiScore)
    assert 0 <= result.percent <= 100
    expected = Fraction(100 * sum(s for s in sections if s is not None), 5 * (10 - missing))
    assert result.band == odi_band(expected)
    assert result.percent == round(float(expected), 2)


def test_nprs() -> None:
    result = score_nprs(7)
    assert not isinstance(result, NotScored)
    assert result.score == 7 and result.loinc[0].code == "72514-3"
    assert isinstance(score_nprs(None), NotScored)
    assert isinstance(score_nprs(11), NotScored)


def psfs(*scores: float) -> list[PsfsItem]:
    return [PsfsItem(f"activity {i}", s) for i, s in enumerate(scores)]


def test_psfs_mean_and_limits() -> None:
    result = score_psfs(psfs(2, 4, 5))
    assert not isinstance(result, NotScored)
    assert result.mean == 3.67
    assert isinstance(score_psfs(psfs(2, 4)), NotScored)
    assert isinstance(score_psfs(psfs(1, 1, 1, 1, 1, 1)), NotScored)
    assert isinstance(score_psfs(None), NotScored)


def fabq_items(pa: int, work: int) -> list[int | None]:
    """16 items whose PA subscale sums to `pa` and work subscale to `work`."""
    items: list[int | None] = [6] * 16  # unscored items 1, 8, 13, 14, 16 do not count
    for n, value in zip((2, 3, 4, 5), _spread(pa, 4), strict=True):
        items[n - 1] = value
    for n, value in zip((6, 7, 9, 10, 11, 12, 15), _spread(work, 7), strict=True):
        items[n - 1] = value
    return items


def _spread(total: int, count: int) -> list[int]:
    return [min(6, max(0, total - 6 * i)) for i in range(count)]


@pytest.mark.parametrize(
    ("pa", "work", "pa_high", "work_high"),
    [(14, 29, False, False), (15, 30, True, True), (0, 0, False, False), (24, 42, True, True)],
)
def test_fabq_cut_offs_strict(pa: int, work: int, pa_high: bool, work_high: bool) -> None:
    result = score_fabq(fabq_items(pa, work))
    assert isinstance(result, FabqScore)
    assert isinstance(result.physical_activity, FabqSubscale)
    assert isinstance(result.work, FabqSubscale)
    assert (result.physical_activity.score, result.work.score) == (pa, work)
    assert result.physical_activity.elevated is pa_high
    assert result.work.elevated is work_high


def test_fabq_cut_offs_are_settings() -> None:
    result = score_fabq(fabq_items(12, 25), Settings(fabq_pa_cutoff=11, fabq_work_cutoff=24))
    assert isinstance(result, FabqScore)
    assert isinstance(result.physical_activity, FabqSubscale) and result.physical_activity.elevated
    assert isinstance(result.work, FabqSubscale) and result.work.elevated


def test_fabq_missing_item_refuses_only_its_subscale() -> None:
    items = fabq_items(10, 10)
    items[8] = None  # item 9: work subscale
    items[0] = None  # item 1: not scored at all
    result = score_fabq(items)
    assert isinstance(result, FabqScore)
    assert isinstance(result.physical_activity, FabqSubscale)
    assert isinstance(result.work, NotScored) and "9" in result.work.reason


@given(st.lists(st.integers(0, 6), min_size=16, max_size=16))
def test_fabq_properties(items: list[int]) -> None:
    result = score_fabq(list(items))
    assert isinstance(result, FabqScore)
    assert isinstance(result.physical_activity, FabqSubscale)
    assert isinstance(result.work, FabqSubscale)
    assert result.physical_activity.score == sum(items[n - 1] for n in (2, 3, 4, 5))
    assert result.work.score == sum(items[n - 1] for n in (6, 7, 9, 10, 11, 12, 15))
    assert result.physical_activity.elevated is (result.physical_activity.score > 14)
