"""Diagnosis (ICD-10-CM) and procedure (CPT) codes, and CPT units by the 8-minute rule.

CPT descriptors are AMA-licensed: we store the codes and write our own short labels.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Case


@dataclass(frozen=True)
class Code:
    system: str  # ICD-10-CM | CPT
    code: str
    label: str
    reason: str


# Our own short labels, not the AMA descriptors.
CPT_LABELS = {
    "97161": "PT evaluation, low complexity",
    "97162": "PT evaluation, moderate complexity",
    "97163": "PT evaluation, high complexity",
    "97164": "PT re-evaluation",
    "97110": "therapeutic exercise",
    "97112": "neuromuscular re-education",
    "97140": "manual therapy",
    "97530": "therapeutic activities",
    "97535": "self-care / home management training",
    "97010": "hot or cold packs",
}
TIMED_CPT = frozenset({"97110", "97112", "97140", "97530", "97535"})
UNTIMED_CPT = frozenset({"97010", "97161", "97162", "97163", "97164"})

# Which CPT code bills each intervention when it is delivered.
INTERVENTION_CPT = {
    "superficial_heat": "97010",
    "cold": "97010",
    "soft_tissue_massage": "97140",
    "thrust_manipulation": "97140",
    "non_thrust_mobilisation": "97140",
    "stretching": "97110",
    "resistance_exercise": "97110",
    "motor_control_exercise": "97112",
    "posture_movement_training": "97530",
    "education": "97535",
}


@dataclass(frozen=True)
class CptUnits:
    units: tuple[tuple[str, int], ...]  # (code, units), codes in ascending order
    timed_minutes: int
    timed_units: int


def units_for_minutes(total: int) -> int:
    """CPT-8MIN: 8-22 min = 1 unit, 23-37 = 2, 38-52 = 3, then one more each 15 minutes."""
    return 0 if total < 8 else (total - 8) // 15 + 1


def cpt_units(minutes: Mapping[str, int]) -> CptUnits:
    """Units per code for one visit from minutes per code (8-minute rule, CMS method).

    The total timed minutes decide the total timed units; each code first gets its whole
    15-minute units, and the units left go to the codes with the most minutes left over.
    Untimed codes (97010, evaluations) bill one unit whenever they were delivered.
    """
    for code, value in minutes.items():
        if code not in TIMED_CPT | UNTIMED_CPT:
            raise ValueError(f"{code}: not a code this practice bills")
        if value < 0:
            raise ValueError(f"{code}: minutes cannot be negative")
    timed = {c: m for c, m in minutes.items() if c in TIMED_CPT and m > 0}
    total = sum(timed.values())
    allowed = units_for_minutes(total)
    units = {c: m // 15 for c, m in timed.items()}
    left = allowed - sum(units.values())
    by_remainder = sorted(timed, key=lambda c: (-(timed[c] % 15), c))
    for code in by_remainder[:left]:
        units[code] += 1
    units |= {c: 1 for c, m in minutes.items() if c in UNTIMED_CPT and m > 0}
    kept = tuple(sorted((c, u) for c, u in units.items() if u > 0))
    return CptUnits(units=kept, timed_minutes=total, timed_units=allowed)


def _sciatica_code(side: str | None) -> tuple[str, str]:
    if side == "right":
        return "M54.41", "lumbago with sciatica, right side"
    if side == "left":
        return "M54.42", "lumbago with sciatica, left side"
    return "M54.40", "lumbago with sciatica, unspecified side"


def diagnosis_codes(case: Case) -> tuple[Code, ...]:
    """ICD-CODES, suggestions for the therapist to confirm. M54.50 is never coded with M54.4x,
    nor with a low back strain (S39.012-), which its excludes note names."""
    codes: list[Code] = []
    icd = "ICD-10-CM"
    if case.episode.below_knee:
        code, label = _sciatica_code(case.episode.pain_side)
        codes.append(Code(icd, code, label, "pain spreads below the knee: confirm it is radicular"))
    elif "lifting" in case.episode.causes and case.visit.kind == "initial":
        why = "lifting injury; coder to confirm the 7th character for rehab visits"
        codes.append(Code(icd, "S39.012A", "low back strain, initial encounter", why))
    else:
        codes.append(Code(icd, "M54.50", "low back pain, unspecified", "no more specific code"))
    if case.episode.spasm:
        codes.append(Code(icd, "M62.830", "muscle spasm of back", "back spasm reported"))
    return tuple(codes)


def evaluation_code(case: Case, complexity: str) -> Code | None:
    """CPT for the evaluation itself: 97161-3 at an initial visit, 97164 at a re-evaluation."""
    if case.visit.kind == "re_evaluation":
        return Code("CPT", "97164", CPT_LABELS["97164"], "re-evaluation visit")
    if case.visit.kind != "initial":
        return None
    code = {"low": "97161", "moderate": "97162", "high": "97163"}[complexity]
    return Code("CPT", code, CPT_LABELS[code], f"{complexity} complexity (heuristic, confirm)")
