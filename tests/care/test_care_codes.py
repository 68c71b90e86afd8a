"""CPT-8MIN: units by the 8-minute rule; 97010 untimed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot.care import cpt_units, units_for_minutes
from unknot.care.codes import TIMED_CPT


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
    ],
)
def test_units_for_minutes(minutes: int, units: int) -> None:
    assert units_for_minutes(minutes) == units


def test_allocation_to_codes() -> None:
    # The CMS example: 33 + 7 = 40 timed minutes -> 3 units; 97110 gets its 2 whole units and
    # the third goes to the code with the most minutes left over (7 > 3).
    result = cpt_units({"97110": 33, "97112": 7, "97010": 15})
    assert dict(result.units) == {"97010": 1, "97110": 2, "97112": 1}
    assert (result.timed_minutes, result.timed_units) == (40, 3)
    split = cpt_units({"97110": 10, "97140": 10})  # 20 minutes -> 1 unit, tie -> first code
    assert dict(split.units) == {"97110": 1}
    both = cpt_units({"97110": 12, "97140": 12})  # 24 minutes -> 2 units
    assert dict(both.units) == {"97110": 1, "97140": 1}


def test_untimed_hot_pack_always_one_unit() -> None:
    assert dict(cpt_units({"97010": 5}).units) == {"97010": 1}
    assert dict(cpt_units({"97010": 0}).units) == {}


def test_unknown_code_and_negative_minutes_refused() -> None:
    with pytest.raises(ValueError, match="99999"):
        cpt_units({"99999": 10})
    with pytest.raises(ValueError, match="negative"):
        cpt_units({"97110": -1})


@given(st.dictionaries(st.sampled_from(sorted(TIMED_CPT)), st.integers(0, 90)))
def test_units_add_up(minutes: dict[str, int]) -> None:
    result = cpt_units(minutes)
    assert sum(u for _, u in result.units) == units_for_minutes(sum(minutes.values()))
    for code, units in result.units:
        assert units <= minutes[code] // 15 + 1
