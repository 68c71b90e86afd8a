"""CPR-*, TBC-*: the prediction rule's strict inequalities, stage, subgroups, preference."""

from typing import Any

import pytest

from tests.care.care_helpers import case, merge
from unknot.care import manipulation_rule, score_fabq, stabilisation_rule
from unknot.care.classify import directional_preference, traction_conflict, treatment_stage
from unknot.care.instruments.odi import OdiScore, score_odi

FIVE: dict[str, Any] = {
    "episode": {"duration_days": 10, "below_knee": False},
    "exam": {"hip_internal_rotation": {"left": 40, "right": 30}, "hypomobile_segment": True},
}


def fabq_work(score: int) -> list[int | None]:
    items: list[int | None] = [0] * 16
    for n in (6, 7, 9, 10, 11, 12, 15):
        take = min(6, score)
        items[n - 1], score = take, score - take
    return items


def cpr(extra: dict[str, Any], work: int | None = 10) -> tuple[str, int]:
    c = case(merge(FIVE, extra))
    result = manipulation_rule(c, None if work is None else score_fabq(fabq_work(work)))
    return result.result, result.met


def test_all_five_met_is_positive() -> None:
    assert cpr({}) == ("positive", 5)


@pytest.mark.parametrize(
    ("extra", "work", "met"),
    [
        ({"episode": {"duration_days": 15}}, 10, 5),
        ({"episode": {"duration_days": 16}}, 10, 4),  # under 16 days, strict
        ({}, 18, 5),
        ({}, 19, 4),  # FABQ work under 19, strict
        ({"exam": {"hip_internal_rotation": {"left": 35, "right": 35}}}, 10, 4),  # over 35 strict
        ({"exam": {"hip_internal_rotation": {"left": 35, "right": 35.5}}}, 10, 5),
        ({"exam": {"hip_internal_rotation": {"left": 36}}}, 10, 5),  # one hip is enough
        ({"episode": {"below_knee": True}}, 10, 4),
        ({"exam": {"hypomobile_segment": False}}, 10, 4),
    ],
)
def test_each_strict_inequality(extra: dict[str, Any], work: int, met: int) -> None:
    assert cpr(extra, work)[1] == met


def test_four_of_five_positive_three_negative() -> None:
    assert cpr({"episode": {"duration_days": 16}}) == ("positive", 4)
    assert cpr({"episode": {"duration_days": 16, "below_knee": True}}) == ("negative", 3)


def test_unknown_criteria_make_it_indeterminate_not_negative() -> None:
    assert cpr({"episode": {"duration_days": 16}}, work=None) == ("indeterminate", 3)
    result, _ = cpr({"episode": {"duration_days": 16, "below_knee": True}}, work=None)
    assert result == "negative"  # 2 met + 1 unknown can never reach 4


STAB: dict[str, Any] = {
    "patient": {"age": 30},
    "exam": {
        "slr": {"left": 95, "right": 95},
        "aberrant_movement": True,
        "prone_instability_test": True,
    },
}


@pytest.mark.parametrize(
    ("extra", "met"),
    [
        ({}, 4),
        ({"patient": {"age": 40}}, 3),  # under 40, strict
        ({"patient": {"age": 39}}, 4),
        ({"exam": {"slr": {"left": 91, "right": 91}}}, 3),  # average over 91, strict
        ({"exam": {"slr": {"left": 90, "right": 93}}}, 4),  # average 91.5
        ({"exam": {"aberrant_movement": False, "prone_instability_test": False}}, 2),
    ],
)
def test_stabilisation_rule(extra: dict[str, Any], met: int) -> None:
    result = stabilisation_rule(case(merge(STAB, extra)))
    assert result.met == met
    assert result.result == ("positive" if met >= 3 else "negative")


@pytest.mark.parametrize(
    ("nprs", "odi", "irritability", "stage"),
    [
        (7, 2, None, "symptom_modulation"),
        (6, 2, None, "movement_control"),  # ODI 40 %: not over 40
        (6, 3, None, "symptom_modulation"),  # ODI 60 %
        (3, 1, "low", "function_optimisation"),  # ODI 20 %
        (3, 1, "high", "symptom_modulation"),
        (2, 2, "moderate", "movement_control"),
        (4, 1, "low", "movement_control"),
    ],
)
def test_stage(nprs: int, odi: int, irritability: str | None, stage: str) -> None:
    c = case({"exam": {"irritability": irritability}})
    odi_score = score_odi([odi] * 10)
    assert isinstance(odi_score, OdiScore)
    result = treatment_stage(c, odi_score, nprs)
    assert result.stage == stage and result.heuristic


def test_stage_unknown_without_data() -> None:
    assert treatment_stage(case(), None, None).stage is None


def test_directional_preference_and_avoidance() -> None:
    c = case(
        {"exam": {"repeated_movements": {"extension": "centralises", "flexion": "peripheralises"}}}
    )
    dp = directional_preference(c)
    assert dp.preferred == ("extension",) and dp.avoid == ("flexion",)


def test_traction_conflict_is_shown() -> None:
    c = case({"episode": {"below_knee": True}, "exam": {"crossed_slr": True}})
    assert traction_conflict(c) is not None and "NICE" in (traction_conflict(c) or "")
    assert traction_conflict(case()) is None
