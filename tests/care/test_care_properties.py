"""The consistency rules of the care core (RULES section 4), as properties over generated cases.

- Adding a risk factor to an answered screen never makes any verdict or the triage less
  cautious; an unanswered question is never treated more lightly than a "no".
- For any trigger, thrust manipulation is never less cautious than non-thrust mobilisation,
  and deep pressure never less cautious than light.
- A suspected condition (the red flags that point to it) is never treated more lightly than
  the same condition known.
- When the directional-preference element is planned, its exercise is in the home programme,
  whatever the minutes available.
"""

from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.care.care_helpers import BASE, flags, merge
from unknot.care import TIERS, Assessment, assess, parse_case, vocab
from unknot.care.library import exercise
from unknot.care.safety import LEVELS

EXAMPLES = 120
RISKY_FLAGS = sorted(vocab.RED_FLAGS)


def level(result: Assessment, intervention: str) -> int:
    return LEVELS.index(next(v.verdict for v in result.safety if v.intervention == intervention))


def caution(result: Assessment) -> dict[str, int]:
    """Every verdict as a number (higher = more cautious), and the triage tier the same way."""
    out = {v.intervention: LEVELS.index(v.verdict) for v in result.safety}
    out |= {f"ex:{v.exercise}": LEVELS.index(v.verdict) for v in result.exercise_safety}
    out["tier"] = len(TIERS) - 1 - TIERS.index(result.triage.tier)
    return out


def at_least_as_cautious(after: Assessment, before: Assessment) -> list[str]:
    low, high = caution(before), caution(after)
    return [key for key in low if high[key] < low[key]]


PEOPLE = st.fixed_dictionaries(
    {
        "age": st.integers(20, 95),
        "days": st.integers(0, 400),
        "yes": st.sets(st.sampled_from(RISKY_FLAGS), max_size=4),
        "conditions": st.sets(st.sampled_from(sorted(vocab.CONDITIONS)), max_size=3),
        "medicines": st.sets(st.sampled_from(sorted(vocab.MEDICINES)), max_size=2),
        "causes": st.sets(st.sampled_from(list(vocab.CAUSES)), max_size=2),
        "pregnant": st.booleans(),
        "bp": st.one_of(st.none(), st.tuples(st.integers(100, 200), st.integers(60, 95))),
        "peripheralises": st.sets(st.sampled_from(list(vocab.DIRECTIONS)), max_size=1),
        "restrictions": st.sets(st.sampled_from(sorted(vocab.RESTRICTIONS)), max_size=1),
    }
)


def person(p: dict[str, Any]) -> dict[str, Any]:
    data = merge(BASE, {
        "patient": {"age": p["age"], "pregnant": p["pregnant"]},
        "episode": {"duration_days": p["days"], "causes": sorted(p["causes"])},
        "conditions": sorted(p["conditions"]),
        "medicines": sorted(p["medicines"]),
        "exam": {"repeated_movements": dict.fromkeys(p["peripheralises"], "peripheralises")},
        "clearance": {"restrictions": sorted(p["restrictions"])},
        **flags(*p["yes"]),
    })  # fmt: skip
    if p["bp"]:
        data["blood_pressure"] = {"systolic": p["bp"][0], "diastolic": p["bp"][1]}
    return data


def assessed(data: dict[str, Any]) -> Assessment:
    return assess(parse_case(data))


RISKS = st.one_of(
    st.tuples(st.just("flag"), st.sampled_from(RISKY_FLAGS)),
    st.tuples(st.just("condition"), st.sampled_from(sorted(vocab.CONDITIONS))),
    st.tuples(st.just("medicine"), st.sampled_from(sorted(vocab.MEDICINES))),
    st.tuples(st.just("older"), st.integers(1, 30)),
    st.tuples(st.just("bp"), st.integers(5, 60)),
    st.tuples(st.just("pregnant"), st.just(True)),
    st.tuples(st.just("postpartum"), st.integers(0, 30)),
    st.tuples(st.just("t_score"), st.floats(-5, 0.5)),
    st.tuples(st.just("peripheralises"), st.sampled_from(list(vocab.DIRECTIONS))),
    st.tuples(st.just("neuro_exam"), st.just(True)),
    st.tuples(st.just("restriction"), st.sampled_from(sorted(vocab.RESTRICTIONS))),
)


def add_risk(data: dict[str, Any], risk: tuple[str, Any]) -> dict[str, Any]:
    kind, value = risk
    bp = data.get("blood_pressure") or {"systolic": 120, "diastolic": 75}
    restrictions = data.get("clearance", {}).get("restrictions", [])
    add: dict[str, Any] = {
        "flag": lambda: flags(value),
        "condition": lambda: {"conditions": sorted({*data["conditions"], value})},
        "medicine": lambda: {"medicines": sorted({*data["medicines"], value})},
        "older": lambda: {"patient": {"age": min(120, data["patient"]["age"] + value)}},
        "bp": lambda: {"blood_pressure": {"systolic": min(300, bp["systolic"] + value),
                                          "diastolic": min(200, bp["diastolic"] + value // 2)}},
        "pregnant": lambda: {"patient": {"pregnant": True}},
        "postpartum": lambda: {"patient": {"postpartum_weeks": value}},
        "t_score": lambda: {"patient": {"bone_density_t_score": round(value, 1)}},
        "peripheralises": lambda: {"exam": {"repeated_movements": {value: "peripheralises"}}},
        "neuro_exam": lambda: {"exam": {"neuro_deficit": True}},
        "restriction": lambda: {"clearance": {"restrictions": sorted({*restrictions, value})}},
    }  # fmt: skip
    return merge(data, add[kind]())


@settings(max_examples=EXAMPLES, deadline=None)
@given(PEOPLE, RISKS)
def test_adding_a_risk_factor_is_never_less_cautious(p: dict[str, Any], risk: Any) -> None:
    before = person(p)
    after = add_risk(before, risk)
    assert not at_least_as_cautious(assessed(after), assessed(before)), risk


@settings(max_examples=EXAMPLES, deadline=None)
@given(PEOPLE, st.sets(st.sampled_from(RISKY_FLAGS), min_size=1, max_size=5))
def test_an_unanswered_question_is_never_treated_as_no(p: dict[str, Any], keys: set[str]) -> None:
    assume(keys - p["yes"])
    answered = person(p)
    unknown = merge(answered, {"red_flags": dict.fromkeys(keys - p["yes"])})
    result = assessed(unknown)
    assert not at_least_as_cautious(result, assessed(answered))
    assert not result.triage.screen.complete  # and so its holds apply (SCREEN-1):
    assert level(result, "thrust_manipulation") >= LEVELS.index("relative")
    assert level(result, "superficial_heat") >= LEVELS.index("relative")


@settings(max_examples=EXAMPLES, deadline=None)
@given(PEOPLE)
def test_thrust_is_never_less_cautious_than_mobilisation(p: dict[str, Any]) -> None:
    result = assessed(person(p))
    assert level(result, "thrust_manipulation") >= level(result, "non_thrust_mobilisation")


def test_thrust_covers_every_single_trigger_of_mobilisation() -> None:
    facts = [("flag", k) for k in RISKY_FLAGS] + [("condition", c) for c in vocab.CONDITIONS]
    facts += [("medicine", m) for m in vocab.MEDICINES] + [("pregnant", True), ("postpartum", 4)]
    base = person({"age": 40, "days": 10, "yes": set(), "conditions": set(),
                   "medicines": set(), "causes": set(), "pregnant": False, "bp": None,
                   "peripheralises": set(), "restrictions": set()})  # fmt: skip
    for fact in facts:
        result = assessed(add_risk(base, fact))
        assert level(result, "thrust_manipulation") >= level(result, "non_thrust_mobilisation"), (
            fact
        )


@settings(max_examples=EXAMPLES, deadline=None)
@given(PEOPLE)
def test_deep_pressure_is_never_less_cautious_than_light(p: dict[str, Any]) -> None:
    massage = next(v for v in assessed(person(p)).safety
                   if v.intervention == "soft_tissue_massage")  # fmt: skip
    light, deep = (LEVELS.index(v.verdict) for v in massage.variants)
    assert deep >= light and LEVELS.index(massage.verdict) >= light


# Each known condition with the red flags that make it suspected.
SUSPECTED = [
    ({"conditions": ["malignancy_in_area"]}, flags("unexplained_weight_loss"), "RF-CANCER"),
    ({"conditions": ["malignancy_in_area"]}, flags("night_pain_persistent"), "RF-CANCER"),
    (
        {"conditions": ["spinal_fracture"]},
        {**flags("minor_trauma"), "patient": {"age": 80}},
        "RF-FRACTURE",
    ),
    ({"conditions": ["dvt"]}, flags("suspected_dvt"), "RF-DVT"),
    ({"conditions": ["infection"]}, flags("fever_or_unwell", "recent_infection"), "RF-INFECTION"),
]


@settings(max_examples=40, deadline=None)
@given(PEOPLE, st.sampled_from(SUSPECTED))
def test_suspected_is_never_treated_more_lightly_than_known(
    p: dict[str, Any], pair: tuple[dict[str, Any], dict[str, Any], str]
) -> None:
    known, suspected, rule = pair
    base = person(p)
    with_known = assessed(
        merge(base, {"conditions": sorted({*base["conditions"], *known["conditions"]})})
    )
    with_suspicion = assessed(merge(base, suspected))
    assume(rule in {r.rule_id for r in with_suspicion.triage.active})  # the picture is there
    for intervention in vocab.INTERVENTIONS:
        assert level(with_suspicion, intervention) >= level(with_known, intervention), (
            intervention,
            pair,
        )


DIRECTIONAL = st.fixed_dictionaries(
    {
        "direction": st.sampled_from(list(vocab.DIRECTIONS)),
        "minutes": st.integers(0, 40),
        "nprs": st.integers(0, 10),
        "pregnant": st.booleans(),
        "conditions": st.sets(st.sampled_from(["osteoporosis", "osteoporosis_severe",
                                               "impaired_sensation", "cancer_history"]),
                              max_size=2),
        "causes": st.sets(st.sampled_from(list(vocab.CAUSES)), max_size=2),
    }
)  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(DIRECTIONAL)
def test_the_directional_preference_exercise_is_always_in_the_home_programme(
    d: dict[str, Any],
) -> None:
    """The finding: short daily minutes could drop the very exercise TBC-DP prescribes."""
    result = assessed(merge(BASE, {
        "exam": {"repeated_movements": {d["direction"]: "centralises"}},
        "lifestyle": {"home_minutes_per_day": d["minutes"]},
        "questionnaires": {"nprs": d["nprs"]},
        "patient": {"pregnant": d["pregnant"]},
        "conditions": sorted(d["conditions"]),
        "episode": {"causes": sorted(d["causes"])},
    }))  # fmt: skip
    current = next(p for p in result.plan.phases if p.current)
    if not any(e.rule_id == "TBC-DP" for e in current.elements):
        return
    hep = result.plan.home_programme
    assert hep is not None
    directions = {exercise(e.id).direction for e in hep.exercises if exercise(e.id).directional}
    assert d["direction"] in directions
