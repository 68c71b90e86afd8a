"""parse_plan: a stored plan reads back as the plan it was stored from, older rows included,
and a damaged row is refused with the path of what is wrong."""

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from tests.care.care_helpers import flags, run
from tests.care.test_care_properties import PEOPLE, person
from unknot.care import Assessment, StoredPlanError, assess, parse_case, parse_plan, to_json
from unknot.care.plan_model import Plan

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted(
    p for p in (ROOT / "docs" / "cases").glob("*.json") if not p.name.endswith(".out.json")
)


def stored(result: Assessment) -> dict[str, Any]:
    """The plan as the record keeps it: to_json's output through a JSON text and back."""
    plan: dict[str, Any] = json.loads(json.dumps(to_json(result)))["plan"]
    return plan


def planned() -> dict[str, Any]:
    """A full plan with held interventions, visits and a home programme."""
    return stored(run({"conditions": ["dvt"]}))


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_worked_case_reads_back_as_its_plan(path: Path) -> None:
    result = assess(parse_case(json.loads(path.read_text("utf-8"))))
    assert parse_plan(stored(result)) == result.plan


def test_the_worked_cases_cover_every_status_and_both_kinds_of_hold() -> None:
    plans = [assess(parse_case(json.loads(p.read_text("utf-8")))).plan for p in CASES]
    assert {p.status for p in plans} == {"planned", "provisional", "on_hold", "withheld"}
    assert {h.verdict for p in plans for h in p.held} == {"contraindicated", "relative"}


def test_the_withheld_emergency_plan_reads_back_with_nothing_planned() -> None:
    result = run(flags("saddle_anaesthesia"))
    plan = parse_plan(stored(result))
    assert plan == result.plan and plan.status == "withheld"
    assert plan.visits is None and plan.home_programme is None and not plan.phases


def test_visits_of_a_person_who_cannot_attend_read_back_without_numbers() -> None:
    result = run({"lifestyle": {"visits_per_week": 0}})
    plan = parse_plan(stored(result))
    assert plan == result.plan
    assert plan.visits is not None and plan.visits.per_week is None


@pytest.mark.parametrize(
    "left_out", [("visits",), ("home_programme",), ("visits", "home_programme")]
)
def test_a_plan_without_visits_or_home_programme_reads_back(left_out: tuple[str, ...]) -> None:
    result = run()
    plan = dataclasses.replace(result.plan, **dict.fromkeys(left_out))
    result = dataclasses.replace(result, plan=plan)
    assert parse_plan(stored(result)) == plan


@settings(max_examples=60, deadline=None)
@given(PEOPLE)
def test_any_assessed_person_reads_back(p: dict[str, Any]) -> None:
    result = assess(parse_case(person(p)))
    assert parse_plan(stored(result)) == result.plan


# --- older rows and newer rows ---------------------------------------------------------------


def test_a_hold_stored_before_verdicts_had_levels_reads_as_contraindicated() -> None:
    """Rows stored before `held[].verdict` existed held back only contraindicated work."""
    result = run({"conditions": ["dvt"]})
    assert result.plan.held and {h.verdict for h in result.plan.held} == {"contraindicated"}
    old = stored(result)
    for held in old["held"]:
        del held["verdict"]
    assert parse_plan(old) == result.plan


def test_an_old_row_as_written_then_reads() -> None:
    old = {**planned(), "held": [{"intervention": "soft_tissue_massage",
                                  "rule_ids": ["CI-MASSAGE"],
                                  "reason": "suspected fracture (RF-FRACTURE)"}]}  # fmt: skip
    (held,) = parse_plan(old).held
    assert (held.intervention, held.rule_ids, held.verdict) == (
        "soft_tissue_massage", ("CI-MASSAGE",), "contraindicated",
    )  # fmt: skip


def test_keys_the_plan_does_not_know_are_ignored() -> None:
    result = run()
    newer = stored(result)
    newer["reviewed_by"] = "someone"
    newer["phases"][0]["elements"][0]["evidence_level"] = 2
    newer["home_programme"]["exercises"][0]["video"] = None
    newer["diagnosis_codes"][0]["version"] = "2027"
    assert parse_plan(newer) == result.plan


# --- refused ---------------------------------------------------------------------------------


def _set(path: tuple[str | int, ...], value: Any) -> Any:
    def change(plan: dict[str, Any]) -> None:
        *parents, last = path
        target: Any = plan
        for step in parents:
            target = target[step]
        target[last] = value

    return change


def _drop(*path: str | int) -> Any:
    def change(plan: dict[str, Any]) -> None:
        *parents, last = path
        target: Any = plan
        for step in parents:
            target = target[step]
        del target[last]

    return change


DAMAGED = [
    (_set(("status",), 3), "plan.status: expected a string, got a number"),
    (_drop("message"), "plan.message: missing"),
    (_drop("held", 0, "reason"), "plan.held[0].reason: missing"),
    (_set(("phases", 0, "elements", 1, "heuristic"), "yes"),
     "plan.phases[0].elements[1].heuristic: expected a boolean, got a string"),
    (_set(("phases", 2, "move_on_when"), "pain 3 or less"),
     "plan.phases[2].move_on_when: expected a list, got a string"),
    (_set(("visits", "per_week"), "2"), "plan.visits.per_week: expected a whole number"),
    (_set(("visits", "weeks"), 4.5), "plan.visits.weeks: expected a whole number, got a number"),
    (_set(("home_programme", "minutes_used"), True),
     "plan.home_programme.minutes_used: expected a whole number, got a boolean"),
    (_set(("home_programme", "exercises", 0, "instructions", 1), None),
     "plan.home_programme.exercises[0].instructions[1]: expected a string, got null"),
    (_set(("intensity",), []), "plan.intensity: expected an object, got a list"),
    (_set(("held",), {}), "plan.held: expected a list, got an object"),
    (_set(("held", 0, "verdict"), None), "plan.held[0].verdict: expected a string, got null"),
    (_set(("diagnosis_codes", 0), "M54.5"), "plan.diagnosis_codes[0]: expected an object"),
    (_set(("notes",), [1]), "plan.notes[0]: expected a string, got a number"),
    (_set(("current_phase",), False), "plan.current_phase: expected a string, got a boolean"),
]  # fmt: skip


@pytest.mark.parametrize(("damage", "message"), DAMAGED, ids=[m.split(":")[0] for _, m in DAMAGED])
def test_a_damaged_row_is_refused_with_the_path_of_what_is_wrong(damage: Any, message: str) -> None:
    plan = planned()
    damage(plan)
    with pytest.raises(StoredPlanError) as refused:
        parse_plan(plan)
    assert str(refused.value).startswith(message)
    assert refused.value.path == message.split(":")[0]


def test_a_stored_plan_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^plan: expected an object, got a list$"):
        parse_plan([])  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [f.name for f in dataclasses.fields(Plan)])
def test_every_key_of_the_plan_left_out_is_named(key: str) -> None:
    plan = planned()
    del plan[key]
    with pytest.raises(StoredPlanError, match=rf"^plan\.{key}: missing$"):
        parse_plan(plan)
