"""RF-*: every triage rule, its combinations and boundaries, and re-screening at follow-up."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.care.care_helpers import case, fired, flags, merge, run
from unknot.care import TIERS, Settings, triage, vocab


def tier(extra: dict[str, object], settings: Settings | None = None) -> str:
    return triage(case(extra), settings or Settings()).tier


def test_nothing_fired_is_none() -> None:
    result = run()
    assert result.triage.tier == "NONE" and not result.triage.fired


@pytest.mark.parametrize("key", vocab.CES_KEYS)
def test_each_cauda_equina_sign_is_an_emergency(key: str) -> None:
    result = run(flags(key))
    assert result.triage.tier == "EMERGENCY_SAME_DAY"
    assert fired(result) == {"RF-CES"}
    assert "emergency department" in result.triage.action


def test_progressive_motor_deficit() -> None:
    assert fired(run(flags("progressive_motor_deficit"))) == {"RF-NEURO"}


@pytest.mark.parametrize("risk", vocab.INFECTION_RISK_KEYS)
def test_infection_needs_fever_plus_a_risk(risk: str) -> None:
    assert tier(flags("fever_or_unwell")) == "NONE"
    assert tier(flags(risk)) == "NONE"
    assert fired(run(flags("fever_or_unwell", risk))) == {"RF-INFECTION"}


def test_infection_risk_from_immunosuppressant_medicine() -> None:
    result = run({**flags("fever_or_unwell"), "medicines": ["immunosuppressant"]})
    assert "RF-INFECTION" in fired(result)


@pytest.mark.parametrize(
    ("extra", "fires"),
    [
        (flags("pulsatile_abdominal_mass"), True),
        (flags("collapse"), True),
        (flags("tearing_pain"), False),  # no vascular risk recorded
        (flags("tearing_pain", "smoker"), True),
        ({**flags("tearing_pain"), "patient": {"age": 61}}, True),
        ({**flags("tearing_pain"), "patient": {"age": 60}}, False),  # over 60, strict
        ({**flags("tearing_pain"), "conditions": ["hypertension"]}, True),
        ({**flags("tearing_pain"), "blood_pressure": {"systolic": 150, "diastolic": 85}}, True),
        ({**flags("tearing_pain"), "blood_pressure": {"systolic": 130, "diastolic": 85}}, False),
    ],
)
def test_aaa(extra: dict[str, object], fires: bool) -> None:
    assert ("RF-AAA" in fired(run(extra))) is fires


def test_tearing_pain_without_risk_is_noted() -> None:
    assert any("tearing" in n for n in run(flags("tearing_pain")).triage.notes)


def test_major_trauma_needs_midline_pain() -> None:
    assert fired(run(flags("major_trauma", "midline_pain"))) == {"RF-TRAUMA"}
    assert "RF-TRAUMA" not in fired(run(flags("major_trauma")))


@pytest.mark.parametrize(
    "extra",
    [
        {"conditions": ["cancer_history"]},
        {"conditions": ["malignancy_in_area"]},
        flags("unexplained_weight_loss"),
        flags("night_pain_persistent"),
        flags("no_improvement_4_weeks"),
    ],
)
def test_cancer_flags_urgent(extra: dict[str, object]) -> None:
    result = run(extra)
    assert result.triage.tier == "URGENT_REFERRAL"
    assert "RF-CANCER" in fired(result)


@pytest.mark.parametrize("neuro", ["neuro_deficit", "progressive_motor_deficit"])
def test_cancer_with_neuro_deficit_is_emergency(neuro: str) -> None:
    result = run({**flags(neuro), "conditions": ["cancer_history"]})
    assert result.triage.tier == "EMERGENCY_SAME_DAY"
    assert "RF-MSCC" in fired(result)


def test_exam_neuro_deficit_counts() -> None:
    result = run({"exam": {"neuro_deficit": True}, "conditions": ["cancer_history"]})
    assert "RF-MSCC" in fired(result)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"episode": {"causes": ["fall"]}, "patient": {"age": 70}}, "RF-FRACTURE"),
        ({"episode": {"causes": ["fall"]}, "patient": {"age": 64}}, None),
        ({"episode": {"causes": ["fall"]}, "patient": {"age": 65}}, "RF-FRACTURE"),
        ({**flags("minor_trauma"), "medicines": ["corticosteroid_long_term"]}, "RF-FRACTURE"),
        ({**flags("minor_trauma"), "conditions": ["osteoporosis"]}, "RF-FRACTURE"),
        ({**flags("minor_trauma"), "conditions": ["prior_fragility_fracture"]}, "RF-FRACTURE"),
        ({**flags("minor_trauma"), "patient": {"bone_density_t_score": -2.6}}, "RF-FRACTURE"),
        ({**flags("minor_trauma"), "patient": {"bone_density_t_score": -2.0}}, None),
        ({"conditions": ["osteoporosis"]}, None),  # one factor, no trauma
        # Fragility factors alone are precautions, never a referral (RULES section 1).
        ({"conditions": ["osteoporosis"], "patient": {"age": 70}}, None),
        ({"medicines": ["corticosteroid_long_term"], "patient": {"age": 80}}, None),
        ({**flags("sudden_severe_central_pain"), "patient": {"age": 70}}, "RF-FRACTURE"),
        (flags("sudden_severe_central_pain"), None),  # no fragility factor
        ({"episode": {"causes": ["lifting"]}, "patient": {"age": 70}}, "RF-FRACTURE"),  # strain
        (flags("major_trauma"), "RF-FRACTURE"),  # significant trauma needs no fragility
        ({**flags("minor_trauma", "neuro_deficit"), "patient": {"age": 80}}, "RF-FRACTURE-NEURO"),
    ],
)
def test_fracture_picture(extra: dict[str, object], expected: str | None) -> None:
    found = fired(run(extra)) & {"RF-FRACTURE", "RF-FRACTURE-NEURO"}
    assert found == ({expected} if expected else set())


@pytest.mark.parametrize(("days", "fires"), [(42, True), (43, False), (400, False)])
def test_fracture_needs_a_new_or_suddenly_worse_episode(days: int, fires: bool) -> None:
    old_fall = {**flags("minor_trauma"), "patient": {"age": 75}, "episode": {"duration_days": days}}
    assert ("RF-FRACTURE" in fired(run(old_fall))) is fires
    sudden = merge(old_fall, flags("sudden_severe_central_pain"))
    assert "RF-FRACTURE" in fired(run(sudden))


def test_static_fragility_never_refers_a_long_stable_episode() -> None:
    stable = {
        "patient": {"age": 78},
        "conditions": ["osteoporosis"],
        "medicines": ["corticosteroid_long_term"],
        "episode": {"duration_days": 300},
        "visit": {"kind": "follow_up", "number": 12},
    }
    result = run(stable)
    assert result.triage.tier == "MONITOR"  # age only
    assert result.plan.status == "planned"
    verdicts = {v.intervention: v.verdict for v in result.safety}
    assert verdicts["resistance_exercise"] != "contraindicated"
    assert verdicts["non_thrust_mobilisation"] == "precaution"


def test_fracture_with_neuro_is_emergency_and_without_is_urgent() -> None:
    base = {**flags("minor_trauma"), "patient": {"age": 80}}
    assert tier(base) == "URGENT_REFERRAL"
    assert tier({**flags("minor_trauma", "neuro_deficit"), "patient": {"age": 80}}) == (
        "EMERGENCY_SAME_DAY"
    )


def test_dvt() -> None:
    result = run(flags("suspected_dvt"))
    assert fired(result) == {"RF-DVT"} and result.triage.tier == "URGENT_REFERRAL"


ASAS = list(vocab.ASAS_KEYS)


@pytest.mark.parametrize(
    ("days", "count", "fires"),
    [(91, 4, True), (90, 4, False), (91, 3, False), (400, 5, True)],
)
def test_axspa_needs_over_3_months_and_4_of_5(days: int, count: int, fires: bool) -> None:
    answers = {k: i < count for i, k in enumerate(ASAS)}
    result = run({"episode": {"duration_days": days}, "red_flags": answers})
    assert ("RF-AXSPA" in fired(result)) is fires
    if fires:
        assert result.triage.tier == "ROUTINE_REFERRAL"


def test_axspa_onset_before_40_worked_out_when_not_asked() -> None:
    answers: dict[str, bool | None] = dict.fromkeys(ASAS[1:], True)
    answers["asas_night_pain_improves_on_rising"] = False
    answers["asas_onset_before_40"] = None
    young = run({"patient": {"age": 30}, "episode": {"duration_days": 200}, "red_flags": answers})
    old = run({"patient": {"age": 50}, "episode": {"duration_days": 200}, "red_flags": answers})
    assert "RF-AXSPA" in fired(young)
    assert "RF-AXSPA" not in fired(old)


@pytest.mark.parametrize(
    ("age", "fires"), [(19, True), (20, False), (35, False), (50, False), (51, True)]
)
def test_age_thresholds_strict(age: int, fires: bool) -> None:
    result = run({"patient": {"age": age}})
    assert ("RF-AGE" in fired(result)) is fires
    assert result.triage.tier == ("MONITOR" if fires else "NONE")


def test_age_thresholds_configurable() -> None:
    settings = Settings(age_over=55, age_under=18)
    assert tier({"patient": {"age": 55}}, settings) == "NONE"
    assert tier({"patient": {"age": 56}}, settings) == "MONITOR"
    assert tier({"patient": {"age": 17}}, settings) == "MONITOR"


def test_unknown_age_is_reported_not_guessed() -> None:
    result = triage(case({"patient": {"sex": "male"}}, base={"visit": {"kind": "initial"}}))
    assert any("RF-AGE not evaluated" in n for n in result.notes)


def test_most_urgent_tier_wins_and_every_rule_is_listed() -> None:
    result = run({**flags("saddle_anaesthesia", "suspected_dvt"), "patient": {"age": 52}})
    assert result.triage.tier == "EMERGENCY_SAME_DAY"
    assert fired(result) == {"RF-CES", "RF-DVT", "RF-AGE"}


def test_new_red_flag_at_follow_up_changes_that_visits_triage() -> None:
    first = run({"visit": {"kind": "initial", "number": 1}})
    later = run(
        {
            "visit": {"kind": "follow_up", "number": 4},
            "previous": {"triage_tier": first.triage.tier, "nprs": 5},
            **flags("bladder_dysfunction"),
        }
    )
    assert first.triage.tier == "NONE"
    assert later.triage.tier == "EMERGENCY_SAME_DAY"
    assert (later.triage.visit_kind, later.triage.visit_number) == ("follow_up", 4)
    assert later.triage.changed_from == "NONE"
    assert later.plan.status == "withheld"


@given(st.sets(st.sampled_from(sorted(vocab.RED_FLAGS))), st.integers(0, 100))
def test_tier_is_the_most_urgent_fired(keys: set[str], age: int) -> None:
    result = triage(case({**flags(*keys), "patient": {"age": age}}))
    tiers = [rule.tier for rule in result.fired]
    assert result.tier == (min(tiers, key=TIERS.index) if tiers else "NONE")
    if keys & set(vocab.CES_KEYS):
        assert result.tier == "EMERGENCY_SAME_DAY"
