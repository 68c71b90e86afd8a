"""The plan: phases, pillars, causes, intensity, lifestyle sizing, home programme, codes."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.care_helpers import SBST_LOW, flags, planned_interventions, run
from unknot.care import Assessment


def rule_ids(result: Assessment) -> list[str]:
    return [e.rule_id for p in result.plan.phases for e in p.elements]


def test_emergency_withholds_plan_and_home_programme() -> None:
    plan = run(flags("saddle_anaesthesia")).plan
    assert plan.status == "withheld" and not plan.phases and plan.home_programme is None
    assert "No treatment plan and no home exercises" in plan.message


def test_three_phases_with_progression_criteria_and_all_pillars() -> None:
    plan = run().plan
    assert [p.key for p in plan.phases] == ["symptom_relief", "active_care", "return_to_activity"]
    assert [p.move_on_rule for p in plan.phases] == ["PROG-1", "PROG-2", "PLAN-DISCHARGE"]
    assert all(p.move_on_when for p in plan.phases)
    assert all(p.included for p in plan.pillars)
    assert sum(p.current for p in plan.phases) == 1


def test_every_element_has_rule_reason_and_heuristics_are_labelled() -> None:
    for phase in run().plan.phases:
        for element in phase.elements:
            assert element.rule_id and element.reason and element.what
            if element.rule_id.startswith(("PLAN-", "CAUSE-", "EDU-")):
                assert element.heuristic


@pytest.mark.parametrize(
    ("cause", "rule"),
    [
        ("lifting", "CAUSE-LIFT"),
        ("fall", "CAUSE-FALL"),
        ("exertion_without_hydration", "CAUSE-HYDRATION"),
        ("weak_abdominals", "CAUSE-ABDO"),
    ],
)
def test_causes_change_the_plan(cause: str, rule: str) -> None:
    assert rule in rule_ids(run({"episode": {"causes": [cause]}}))
    assert rule not in rule_ids(run())


def test_fall_puts_fracture_screen_first() -> None:
    result = run({"episode": {"causes": ["fall"]}})
    assert result.plan.phases[0].elements[0].rule_id == "CAUSE-FALL"


@pytest.mark.parametrize(
    ("items", "rule", "per_week", "weeks"),
    [
        (SBST_LOW, "SBST-LOW", 1, 2),
        ([True, True, True, True, False, False, False, False, "slightly"], "SBST-MEDIUM", 2, 4),
        ([True] * 8 + ["extremely"], "SBST-HIGH", 2, 6),
    ],
)
def test_start_back_sets_intensity(items: list[Any], rule: str, per_week: int, weeks: int) -> None:
    plan = run({"questionnaires": {"start_back": items}}).plan
    assert plan.intensity and plan.intensity.rule_id == rule
    assert plan.visits and (plan.visits.per_week, plan.visits.weeks) == (per_week, weeks)
    assert ("SBST-HIGH" in rule_ids(run({"questionnaires": {"start_back": items}}))) is (
        rule == "SBST-HIGH"
    )


def test_visits_fitted_to_availability() -> None:
    high = [True] * 8 + ["extremely"]
    plan = run({"questionnaires": {"start_back": high}, "lifestyle": {"visits_per_week": 1}}).plan
    assert plan.visits and (plan.visits.per_week, plan.visits.weeks, plan.visits.total) == (
        1,
        12,
        12,
    )
    none = run({"lifestyle": {"visits_per_week": 0}}).plan
    assert none.visits and none.visits.per_week is None


def test_pregnancy_prefers_cold_over_heat_on_the_low_back() -> None:
    result = run({"patient": {"pregnant": True}, "episode": {"duration_days": 20}})
    assert "cold" in planned_interventions(result)
    assert "superficial_heat" not in planned_interventions(result)


def test_heat_after_72_hours_cold_before() -> None:
    assert "superficial_heat" in planned_interventions(run({"episode": {"duration_days": 4}}))
    assert "cold" in planned_interventions(run({"episode": {"duration_days": 3}}))


def test_no_thermal_when_both_contraindicated() -> None:
    result = run({"conditions": ["impaired_sensation", "raynauds"]})
    assert not {"cold", "superficial_heat"} & planned_interventions(result)


def test_work_demands_shape_posture_training() -> None:
    result = run({"lifestyle": {"work": ["desk", "driving"]}})
    element = next(e for p in result.plan.phases for e in p.elements if e.rule_id == "PLAN-WORK")
    assert "sitting" in element.what and "seat" in element.what


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 60),
    st.sets(st.sampled_from(["lifting", "fall", "weak_abdominals", "unknown"])),
    st.sets(st.sampled_from(["desk", "manual", "driving"])),
    st.integers(0, 10),
)
def test_home_programme_fits_the_time(
    minutes: int, causes: set[str], work: set[str], nprs: int
) -> None:
    result = run(
        {
            "lifestyle": {"home_minutes_per_day": minutes, "work": sorted(work)},
            "episode": {"causes": sorted(causes)},
            "questionnaires": {"nprs": nprs},
        }
    )
    hep = result.plan.home_programme
    assert hep is not None
    assert hep.minutes_used <= minutes == hep.minutes_available
    assert len(hep.exercises) <= 6
    assert hep.phase == result.plan.current_phase
    if minutes >= 10:
        assert hep.exercises


def test_home_programme_respects_directional_preference() -> None:
    result = run(
        {
            "questionnaires": {"nprs": 8},
            "exam": {
                "repeated_movements": {"extension": "centralises", "flexion": "peripheralises"}
            },
        }
    )
    hep = result.plan.home_programme
    assert hep is not None
    ids = {e.id for e in hep.exercises}
    assert "prone_press_up" in ids or "prone_lying" in ids
    assert not {"knee_to_chest", "double_knee_to_chest"} & ids


def test_diagnosis_codes() -> None:
    sciatica = run({"episode": {"below_knee": True, "pain_side": "left"}}).plan
    codes = {c.code for c in sciatica.diagnosis_codes}
    assert "M54.42" in codes and "M54.50" not in codes and "M62.830" in codes
    strain = {c.code for c in run({"episode": {"causes": ["lifting"]}}).plan.diagnosis_codes}
    assert "S39.012A" in strain and "M54.50" not in strain
    assert {c.code for c in run().plan.diagnosis_codes} == {"M54.50", "M62.830"}


def test_procedure_codes_follow_planned_interventions() -> None:
    plan = run().plan
    codes = [c.code for c in plan.procedure_codes]
    assert codes[0] in ("97161", "97162", "97163")
    assert {"97140", "97110", "97112", "97530", "97535", "97010"} <= set(codes)
    follow = run({"visit": {"kind": "follow_up", "number": 3}}).plan
    assert not {"97161", "97162", "97163"} & {c.code for c in follow.procedure_codes}


def test_follow_up_progresses_to_active_care_when_prog1_met() -> None:
    result = run(
        {
            "visit": {"kind": "follow_up", "number": 3},
            "questionnaires": {"nprs": 7, "odi": [3] * 10},
            "previous": {"nprs": 9, "odi": 80},
            "exam": {"symptom_course": "centralising", "flare_24h": False},
        }
    )
    assert result.progression and result.progression.ready_for_active_care is True
    assert result.plan.current_phase == "active_care"
