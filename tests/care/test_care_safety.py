"""CI-*: a verdict for every intervention; contraindicated never planned; CPR never overrides."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.care_helpers import case, flags, planned_interventions, run, verdict
from unknot.care import assess, safety, triage, vocab
from unknot.care.safety import RULES

CPR_POSITIVE: dict[str, Any] = {
    "episode": {"duration_days": 5, "below_knee": False},
    "exam": {"hip_internal_rotation": {"left": 40}, "hypomobile_segment": True},
    "questionnaires": {"fabq": [0] * 16},
}


def test_every_intervention_gets_a_verdict() -> None:
    result = run()
    assert [v.intervention for v in result.safety] == list(vocab.INTERVENTIONS)
    assert {v.verdict for v in result.safety} == {"ok"}


@pytest.mark.parametrize("rule", [r for r in RULES if r.triggers], ids=lambda r: r.rule_id)
def test_each_rule_triggers_its_verdict(rule: Any) -> None:
    for trigger in rule.triggers:
        c = _case_with_fact(trigger)
        verdicts = {v.intervention: v for v in safety(c, triage(c))}
        for name in rule.interventions:
            ids = {r.rule_id for r in verdicts[name].reasons}
            assert rule.rule_id in ids, (trigger, name)
            if rule.verdict == "contraindicated":
                assert verdicts[name].verdict == "contraindicated"
            else:
                assert verdicts[name].verdict in ("precaution", "contraindicated")


def _case_with_fact(fact: str) -> Any:
    if fact in vocab.CONDITIONS:
        return case({"conditions": [fact]})
    if fact in vocab.MEDICINES:
        return case({"medicines": [fact]})
    if fact in vocab.RED_FLAGS:
        return case(flags(fact))
    special: dict[str, dict[str, Any]] = {
        "pregnant": {"patient": {"pregnant": True}},
        "peripheralises": {"exam": {"repeated_movements": {"flexion": "peripheralises"}}},
        "bp_over_180_110": {"blood_pressure": {"systolic": 185, "diastolic": 100}},
        "bp_over_160_100": {"blood_pressure": {"systolic": 165, "diastolic": 95}},
        "RF-FRACTURE": {"patient": {"age": 80}, **flags("minor_trauma")},
        "RF-CANCER": flags("unexplained_weight_loss"),
    }
    return case(special[fact])


@pytest.mark.parametrize(
    ("bp", "expected"),
    [
        ((180, 110), "precaution"),
        ((160, 100), "ok"),
        ((140, 90), "ok"),
        ((181, 100), "contraindicated"),
        ((170, 111), "contraindicated"),
        ((161, 90), "precaution"),
        ((150, 101), "precaution"),
    ],
)
def test_resistance_blood_pressure_boundaries(bp: tuple[int, int], expected: str) -> None:
    result = run({"blood_pressure": {"systolic": bp[0], "diastolic": bp[1]}})
    assert verdict(result, "resistance_exercise") == expected


def test_emergency_contraindicates_everything() -> None:
    result = run(flags("saddle_anaesthesia"))
    assert {v.verdict for v in result.safety} == {"contraindicated"}


def test_urgent_holds_thrust_and_vigorous_manual_therapy() -> None:
    result = run(flags("suspected_dvt"))
    assert verdict(result, "thrust_manipulation") == "contraindicated"
    assert verdict(result, "non_thrust_mobilisation") == "precaution"
    assert verdict(result, "soft_tissue_massage") == "contraindicated"  # DVT itself
    assert "soft_tissue_massage" not in planned_interventions(result)


def test_prediction_rule_never_overrides_a_contraindication() -> None:
    result = run({**CPR_POSITIVE, "conditions": ["osteoporosis_severe"], "patient": {"age": 45}})
    assert result.classification.manipulation_rule.result == "positive"
    assert verdict(result, "thrust_manipulation") == "contraindicated"
    assert "thrust_manipulation" not in planned_interventions(result)
    assert any("CPR-POS" in n for n in result.plan.notes)


def test_positive_prediction_rule_plans_thrust_when_safe() -> None:
    result = run(CPR_POSITIVE)
    assert "thrust_manipulation" in planned_interventions(result)


def test_precaution_carries_its_modification() -> None:
    result = run({"medicines": ["anticoagulant"]})
    massage = next(v for v in result.safety if v.intervention == "soft_tissue_massage")
    assert massage.verdict == "precaution"
    assert any("light pressure" in m for m in massage.modifications)
    element = next(
        e for p in result.plan.phases for e in p.elements if e.intervention == "soft_tissue_massage"
    )
    assert element.modification and "light pressure" in element.modification


FACTS = st.fixed_dictionaries(
    {
        "conditions": st.sets(st.sampled_from(sorted(vocab.CONDITIONS))),
        "medicines": st.sets(st.sampled_from(sorted(vocab.MEDICINES))),
        "flags": st.sets(st.sampled_from(sorted(vocab.RED_FLAGS)), max_size=3),
        "pregnant": st.booleans(),
        "cpr": st.booleans(),
    }
)


@settings(max_examples=150, deadline=None)
@given(FACTS)
def test_contraindicated_never_in_plan_or_home_programme(f: dict[str, Any]) -> None:
    extra: dict[str, Any] = {
        "conditions": sorted(f["conditions"]),
        "medicines": sorted(f["medicines"]),
        "patient": {"pregnant": f["pregnant"]},
        **flags(*f["flags"]),
    }
    if f["cpr"]:
        extra = {**CPR_POSITIVE, **extra}
    c = case(extra)
    result = assess(c)
    banned = {v.intervention for v in result.safety if v.verdict == "contraindicated"}
    assert not banned & planned_interventions(result)
    if result.plan.home_programme:
        from unknot.care.library import exercise

        used = {exercise(e.id).intervention for e in result.plan.home_programme.exercises}
        assert not banned & used
    if result.triage.tier == "EMERGENCY_SAME_DAY":
        assert result.plan.status == "withheld" and result.plan.home_programme is None
