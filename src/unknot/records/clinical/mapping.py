"""Rows -> the care core's input (docs/care.md) and back. No writes, no clock.

The evaluation stores its structured findings in the core's "exam" shape, so the same dict is
validated here (by `parse_case`, the one schema) and later handed to `assess` untouched.
"""

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from unknot import care
from unknot.care import vocab

# Keys of the intake answers that a later time point sets itself.
_OWNED_HERE = ("exam", "settings", "previous", "visit")

# Form field name -> the exam path the care core reports in CaseError.field.
EXAM_FIELDS: dict[str, str] = {
    "hip_ir_left": "exam.hip_internal_rotation.left",
    "hip_ir_right": "exam.hip_internal_rotation.right",
    "slr_left": "exam.slr.left",
    "slr_right": "exam.slr.right",
    "hypomobile_segment": "exam.hypomobile_segment",
    "aberrant_movement": "exam.aberrant_movement",
    "prone_instability_test": "exam.prone_instability_test",
    "crossed_slr": "exam.crossed_slr",
    "neuro_deficit": "exam.neuro_deficit",
    "irritability": "exam.irritability",
    "symptom_course": "exam.symptom_course",
} | {f"rm_{d}": f"exam.repeated_movements.{d}" for d in vocab.DIRECTIONS}
TRI_STATE = {"yes": True, "no": False}


def tri_state(value: str | None) -> bool | None:
    """A yes / no / not-tested answer: None stays None so the core says what is unknown."""
    return TRI_STATE.get(value or "")


def tri_state_initial(value: bool | None) -> str:
    words: dict[bool | None, str] = {True: "yes", False: "no"}
    return words.get(value, "")


def _pair(left: Any, right: Any) -> dict[str, Any]:
    return {k: v for k, v in (("left", left), ("right", right)) if v is not None}


def exam_from_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned form data -> the core's "exam" dict, leaving out everything not recorded."""
    exam: dict[str, Any] = {
        "hip_internal_rotation": _pair(data.get("hip_ir_left"), data.get("hip_ir_right")),
        "slr": _pair(data.get("slr_left"), data.get("slr_right")),
        "repeated_movements": {d: data[f"rm_{d}"] for d in vocab.DIRECTIONS if data.get(f"rm_{d}")},
    }
    for name in ("hypomobile_segment", "aberrant_movement", "prone_instability_test",
                 "crossed_slr", "neuro_deficit"):  # fmt: skip
        exam[name] = tri_state(data.get(name))
    for name in ("irritability", "symptom_course"):
        exam[name] = data.get(name) or None
    return {k: v for k, v in exam.items() if v not in (None, {}, "")}


def fields_from_exam(exam: Mapping[str, Any]) -> dict[str, Any]:
    """The stored exam -> form initial values (the inverse of exam_from_fields)."""
    hip, slr = exam.get("hip_internal_rotation", {}), exam.get("slr", {})
    out: dict[str, Any] = {
        "hip_ir_left": hip.get("left"),
        "hip_ir_right": hip.get("right"),
        "slr_left": slr.get("left"),
        "slr_right": slr.get("right"),
        "irritability": exam.get("irritability") or "",
        "symptom_course": exam.get("symptom_course") or "",
    }
    for name in ("hypomobile_segment", "aberrant_movement", "prone_instability_test",
                 "crossed_slr", "neuro_deficit"):  # fmt: skip
        out[name] = tri_state_initial(exam.get(name))
    for direction, response in exam.get("repeated_movements", {}).items():
        out[f"rm_{direction}"] = response
    return out


def exam_problem(exam: Mapping[str, Any]) -> tuple[str | None, str] | None:
    """None when the core accepts the exam, else (form field or None, message)."""
    try:
        care.parse_case({"exam": dict(exam)})
    except care.CaseError as error:
        field = next((f for f, path in EXAM_FIELDS.items() if path == error.field), None)
        return field, f"{error.field}: {error.reason}"
    return None


def age_on(birth: dt.date, day: dt.date) -> int:
    had_birthday = (day.month, day.day) >= (birth.month, birth.day)
    return day.year - birth.year - (0 if had_birthday else 1)


def base_case(answers: Mapping[str, Any], birth: dt.date, day: dt.date) -> dict[str, Any]:
    """The intake answers with the age worked out for `day` (date of birth never leaves)."""
    data = copy.deepcopy(dict(answers))
    for key in _OWNED_HERE:
        data.pop(key, None)
    patient = dict(data.get("patient", {}))
    patient.pop("date_of_birth", None)
    patient["age"] = age_on(birth, day)
    data["patient"] = patient
    return data


def _merged_flags(intake: Mapping[str, Any], in_person: Mapping[str, Any]) -> dict[str, Any]:
    """A "yes" from either stays yes; an answer asked in person fills what the intake left."""
    merged = dict(intake)
    for key, value in in_person.items():
        if value is not None and (merged.get(key) is None or value is True):
            merged[key] = value
    return merged


def _merged_list(intake: Any, in_person: Any) -> list[str] | None:
    """The health history: asked when either asked it; a tick from either stays ticked."""
    if intake is None and in_person is None:
        return None
    return sorted({*(intake or ()), *(in_person or ())})


def merged_answers(answers: Mapping[str, Any], in_person: Mapping[str, Any]) -> dict[str, Any]:
    """The intake's answers with what the therapist recorded in person at the evaluation.

    Red flags: a yes stays yes, and an answer given in person fills an unanswered question.
    Conditions and medicines: the union, asked when either asked. The inputs only an
    evaluation records (bone density, weeks after birth, care received, scores recorded
    elsewhere, symptoms past the buttock) are taken from it when given.
    """
    data = copy.deepcopy(dict(answers))
    flags = _merged_flags(data.get("red_flags", {}), in_person.get("red_flags", {}))
    if flags:
        data["red_flags"] = flags
    for key in ("conditions", "medicines"):
        merged = _merged_list(data.get(key), in_person.get(key))
        if merged is not None:
            data[key] = merged
    for section in ("patient", "episode"):
        given = {k: v for k, v in in_person.get(section, {}).items() if v is not None}
        if given:
            data[section] = {**data.get(section, {}), **given}
    if in_person.get("reported"):
        data["reported"] = dict(in_person["reported"])
    return data


def plan_case(
    answers: Mapping[str, Any],
    exam: Mapping[str, Any],
    birth: dt.date,
    day: dt.date,
    *,
    in_person: Mapping[str, Any] | None = None,
    clearance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Intake + what was asked in person + evaluation exam + age + the initial visit + any
    medical clearance: the case `assess` plans from."""
    data = base_case(merged_answers(answers, in_person or {}), birth, day)
    data["visit"] = {"kind": "initial", "number": 1, "date": day.isoformat()}
    data["exam"] = dict(exam)
    if clearance:
        data["clearance"] = dict(clearance)
    return data


def merged_red_flags(earlier: Mapping[str, Any], positive_now: set[str]) -> dict[str, bool]:
    """This visit's screen: every key asked now; what was said yes to before stays yes.

    History answers (a smoker, an ASAS criterion, an earlier trauma) cannot be "un-said" at a
    later visit, so a yes is carried forward; everything else is what was found today.
    """
    before = {k for k, v in earlier.items() if v}
    return {key: key in positive_now or key in before for key in vocab.RED_FLAGS}


def visit_case(
    answers: Mapping[str, Any],
    exam: Mapping[str, Any],
    birth: dt.date,
    *,
    day: dt.date,
    number: int,
    red_flags: Mapping[str, bool],
    previous_tier: str | None,
    in_person: Mapping[str, Any] | None = None,
    clearance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The case for re-screening at a treatment visit (triage and safety only)."""
    data = base_case(merged_answers(answers, in_person or {}), birth, day)
    data["visit"] = {"kind": "follow_up", "number": number, "date": day.isoformat()}
    data["exam"] = dict(exam)
    data["red_flags"] = dict(red_flags)
    if previous_tier:
        data["previous"] = {"triage_tier": previous_tier}
    if clearance:
        data["clearance"] = dict(clearance)
    return data
