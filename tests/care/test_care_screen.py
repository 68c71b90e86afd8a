"""SCREEN-1 and SCREEN-2: an unanswered screen is never a clear one; a referral waits for a
medical clearance, whose findings do not raise it again while new findings do. Also the
red-flag inputs added with them (non-mechanical pain, thrombosis risk, care received)."""

from typing import Any

import pytest

from tests.care.care_helpers import BASE, CLEAR_SCREEN, fired, flags, merge, run, verdict
from unknot.care import assess, parse_case, vocab
from unknot.care.screen import RULE_DOMAINS

CPR_POSITIVE: dict[str, Any] = {
    "episode": {"duration_days": 5, "below_knee": False},
    "exam": {"hip_internal_rotation": {"left": 40}, "hypomobile_segment": True},
    "questionnaires": {"fabq": [0] * 16},
}
NO_SCREEN = {k: v for k, v in BASE.items() if k not in CLEAR_SCREEN}


def unscreened(extra: dict[str, Any] | None = None) -> Any:
    data = merge(NO_SCREEN, extra or {})
    return assess(parse_case(data))


def domains(result: Any) -> dict[str, str]:
    return {d.domain: d.status for d in result.triage.screen.domains}


def planned(result: Any) -> set[str]:
    return {e.intervention for p in result.plan.phases for e in p.elements if e.intervention}


def test_every_red_flag_belongs_to_exactly_one_domain() -> None:
    placed = [key for keys in vocab.DOMAINS.values() for key in keys]
    assert sorted(placed) == sorted(vocab.RED_FLAGS)
    assert set(vocab.DOMAINS) == {"cauda_equina", "fracture", "malignancy", "infection",
                                  "vascular", "inflammatory", "neurological"}  # fmt: skip
    assert {d for ds in RULE_DOMAINS.values() for d in ds} == set(vocab.DOMAINS)


def test_an_unanswered_screen_is_incomplete_not_clear() -> None:
    """The finding: no red-flag answer returned "No red flags fired: proceed" and a full plan
    with thrust manipulation when the prediction rule was met."""
    result = unscreened(CPR_POSITIVE)
    assert result.triage.tier == "SCREENING_INCOMPLETE"
    assert "proceed" not in result.triage.action
    assert set(result.triage.screen.open_domains) == set(vocab.DOMAINS)
    assert set(domains(result).values()) == {"not_asked"}
    assert result.plan.status == "provisional"
    assert "thrust_manipulation" not in planned(result)
    assert result.classification.manipulation_rule.result == "positive"


def test_provisional_plan_holds_thrust_heat_deep_pressure_and_loading() -> None:
    result = unscreened({"episode": {"duration_days": 20}})
    assert verdict(result, "thrust_manipulation") == "relative"
    assert verdict(result, "superficial_heat") == "relative"
    massage = next(v for v in result.safety if v.intervention == "soft_tissue_massage")
    assert massage.verdict == "precaution"
    assert [(x.variant, x.verdict) for x in massage.variants] == [
        ("light pressure", "ok"),
        ("deep pressure", "relative"),
    ]
    loaded = {v.exercise: v.verdict for v in result.exercise_safety}
    assert loaded["goblet_squat"] == "relative" and loaded["walking"] == "ok"
    assert "superficial_heat" not in planned(result)


def test_the_same_case_with_a_complete_screen_proceeds() -> None:
    result = run(CPR_POSITIVE)
    assert result.triage.tier == "NONE" and result.triage.screen.complete
    assert set(domains(result).values()) == {"clear"}
    assert "thrust_manipulation" in planned(result)


def test_one_open_question_keeps_its_domain_open() -> None:
    result = run({"red_flags": {"tearing_pain": None}})
    assert result.triage.screen.open_domains == ("vascular",)
    assert domains(result)["vascular"] == "not_asked"
    assert result.plan.status == "provisional"


def test_health_history_not_asked_keeps_history_domains_open() -> None:
    data = {k: v for k, v in BASE.items() if k not in ("conditions", "medicines")}
    result = assess(parse_case(data))
    assert set(result.triage.screen.open_domains) == {"fracture", "malignancy", "infection",
                                                       "vascular"}  # fmt: skip
    assert all("history" in d.open_questions for d in result.triage.screen.domains
               if d.open_questions)  # fmt: skip


def test_a_flagged_domain_is_flagged_even_with_questions_left() -> None:
    result = run({"red_flags": {"unexplained_weight_loss": True, "night_pain": None}})
    assert domains(result)["malignancy"] == "flagged"
    assert not result.triage.screen.complete
    assert result.triage.tier == "URGENT_REFERRAL"


def test_the_exam_answers_the_neurological_question() -> None:
    result = run({"red_flags": {"neuro_deficit": None}, "exam": {"neuro_deficit": False}})
    assert result.triage.screen.complete


@pytest.mark.parametrize(("weeks", "complete"), [(3, True), (None, False)])
def test_care_received_answers_no_improvement_after_4_weeks(weeks: Any, complete: bool) -> None:
    extra: dict[str, Any] = {"red_flags": {"no_improvement_4_weeks": None}}
    if weeks is not None:
        extra["episode"] = {"care_received": {"weeks": weeks, "visits": 4}}
    assert run(extra).triage.screen.complete is complete


def test_four_weeks_of_care_without_pain_improvement_raises_the_cancer_flag() -> None:
    base = {"red_flags": {"no_improvement_4_weeks": None},
            "episode": {"care_received": {"weeks": 5, "visits": 9}},
            "questionnaires": {"nprs": 6}}  # fmt: skip
    stuck = run(merge(base, {"previous": {"nprs": 7}}))
    assert "RF-CANCER" in fired(stuck)
    better = run(merge(base, {"previous": {"nprs": 8}}))
    assert "RF-CANCER" not in fired(better) and better.triage.screen.complete is False


@pytest.mark.parametrize(
    ("keys", "age", "rule"),
    [
        (("non_mechanical_pain",), 35, "RF-NONMECH"),
        (("non_mechanical_pain", "night_pain"), 35, "RF-CANCER"),
        (("non_mechanical_pain", "pain_not_relieved_by_lying"), 35, "RF-CANCER"),
        (("non_mechanical_pain",), 55, "RF-CANCER"),
        (("night_pain",), 35, None),
    ],
)
def test_non_mechanical_pain_weighs_in_combination(
    keys: tuple[str, ...], age: int, rule: str | None
) -> None:
    found = fired(run({**flags(*keys), "patient": {"age": age}})) - {"RF-AGE"}
    assert found == ({rule} if rule else set())


def test_diabetes_is_an_infection_risk() -> None:
    assert "RF-INFECTION" in fired(run({**flags("fever_or_unwell"), "conditions": ["diabetes"]}))


def test_thrombosis_risk_is_watched_and_the_weeks_after_birth_count() -> None:
    assert fired(run(flags("thrombosis_risk"))) == {"RF-DVT-RISK"}
    after_birth = run({"patient": {"postpartum_weeks": 6}})
    assert "RF-DVT-RISK" in fired(after_birth)
    assert "RF-DVT-RISK" not in fired(run({"patient": {"postpartum_weeks": 20}}))


# --- SCREEN-2 --------------------------------------------------------------------------------

FRACTURE = {**flags("minor_trauma"), "patient": {"age": 75}}


def test_awaiting_clearance_holds_everything_but_education() -> None:
    """The finding: after an urgent referral the next visit carried on as usual."""
    result = run({"clearance": {"awaiting": ["RF-FRACTURE"]}})  # every flag now "no"
    assert result.triage.on_hold == ("RF-FRACTURE",)
    assert "clearance" in result.triage.action
    assert result.plan.status == "on_hold"
    held = {v.intervention for v in result.safety if v.verdict == "relative"}
    assert held == set(vocab.INTERVENTIONS) - {"education"}
    assert planned(result) <= {"education"}
    assert not result.plan.home_programme or not result.plan.home_programme.exercises
    assert {v.verdict for v in result.exercise_safety} == {"relative"}


def test_cleared_findings_do_not_raise_the_referral_again() -> None:
    first = run(FRACTURE)
    rule = next(r for r in first.triage.fired if r.rule_id == "RF-FRACTURE")
    cleared = {"cleared": ["RF-FRACTURE"], "cleared_findings": list(rule.findings)}
    later = run({**FRACTURE, "clearance": cleared})
    again = next(r for r in later.triage.fired if r.rule_id == "RF-FRACTURE")
    assert again.cleared and later.triage.tier == "MONITOR"
    assert later.plan.status == "planned"
    assert verdict(later, "soft_tissue_massage") != "contraindicated"  # no longer suspected


def test_a_new_finding_after_clearance_raises_it_again() -> None:
    first = run(FRACTURE)
    rule = next(r for r in first.triage.fired if r.rule_id == "RF-FRACTURE")
    cleared = {"cleared": ["RF-FRACTURE"], "cleared_findings": list(rule.findings)}
    worse = run(merge({**FRACTURE, "clearance": cleared}, flags("sudden_severe_central_pain")))
    assert worse.triage.tier == "URGENT_REFERRAL"
    assert not next(r for r in worse.triage.fired if r.rule_id == "RF-FRACTURE").cleared


@pytest.mark.parametrize(
    ("restriction", "intervention", "level"),
    [
        ("no_thrust", "thrust_manipulation", "contraindicated"),
        ("no_spinal_manual_therapy", "non_thrust_mobilisation", "contraindicated"),
        ("no_heat", "superficial_heat", "contraindicated"),
        ("light_pressure_only", "soft_tissue_massage", "precaution"),
        ("no_loaded_exercise", "resistance_exercise", "precaution"),
        ("no_resistance_exercise", "resistance_exercise", "contraindicated"),
    ],
)
def test_the_physicians_restrictions_feed_every_later_verdict(
    restriction: str, intervention: str, level: str
) -> None:
    result = run({"clearance": {"cleared": ["RF-FRACTURE"], "restrictions": [restriction]}})
    assert verdict(result, intervention) == level


def test_a_restriction_on_loading_holds_the_loaded_exercises_only() -> None:
    result = run({"clearance": {"restrictions": ["no_loaded_exercise"]}})
    exercises = {v.exercise: v.verdict for v in result.exercise_safety}
    assert exercises["romanian_deadlift"] == "contraindicated"
    assert exercises["bridge"] == "ok" and exercises["walking"] == "ok"
