"""Builders for care tests: a case is a JSON-shaped dict, parsed by the real parser."""

from typing import Any

from unknot.care import Assessment, Case, assess, parse_case, parse_settings, vocab

SBST_LOW = [False] * 8 + ["not_at_all"]
# Every red-flag question asked and answered "no", and the health history asked: a complete
# screen (SCREEN-1). Tests of an incomplete screen leave answers out on purpose.
CLEAR_SCREEN: dict[str, Any] = {
    "red_flags": dict.fromkeys(vocab.RED_FLAGS, False),
    "conditions": [],
    "medicines": [],
}


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


BASE: dict[str, Any] = {
    "patient": {"age": 35, "sex": "female"},
    "visit": {"kind": "initial", "number": 1},
    "episode": {"duration_days": 10, "causes": ["unknown"], "below_knee": False, "spasm": True},
    "questionnaires": {"nprs": 5},
    "lifestyle": {"home_minutes_per_day": 15, "visits_per_week": 2},
    **CLEAR_SCREEN,
}


def case(extra: dict[str, Any] | None = None, base: dict[str, Any] | None = None) -> Case:
    return parse_case(merge(BASE if base is None else base, extra or {}))


def run(extra: dict[str, Any] | None = None) -> Assessment:
    data = merge(BASE, extra or {})
    return assess(parse_case(data), parse_settings(data))


def flags(*keys: str) -> dict[str, Any]:
    return {"red_flags": dict.fromkeys(keys, True)}


def fired(result: Assessment) -> set[str]:
    return {rule.rule_id for rule in result.triage.fired}


def planned_interventions(result: Assessment) -> set[str]:
    return {e.intervention for p in result.plan.phases for e in p.elements if e.intervention}


def verdict(result: Assessment, intervention: str) -> str:
    return next(v.verdict for v in result.safety if v.intervention == intervention)
