"""Classification aids: manipulation prediction rule, TBC stage and subgroups (CPR-*, TBC-*).

These predict response and steer emphasis; they never decide safety (safety.py does).
"""

from dataclasses import dataclass

from .instruments.base import NotScored
from .instruments.fabq import FabqScore, FabqSubscale
from .instruments.odi import OdiScore
from .model import Case


@dataclass(frozen=True)
class Criterion:
    rule_id: str
    text: str
    met: bool | None  # None = could not tell from the case
    detail: str


@dataclass(frozen=True)
class RuleResult:
    """A criteria-count rule: positive, negative, or indeterminate while answers are missing."""

    rule_id: str
    criteria: tuple[Criterion, ...]
    met: int
    unknown: int
    needed: int
    result: str  # positive | negative | indeterminate


@dataclass(frozen=True)
class Stage:
    stage: str | None  # symptom_modulation | movement_control | function_optimisation
    reasons: tuple[str, ...]
    rule_id: str = "TBC-STAGE"
    heuristic: bool = True


@dataclass(frozen=True)
class DirectionalPreference:
    preferred: tuple[str, ...]
    avoid: tuple[str, ...]
    guidance: str
    rule_id: str = "TBC-DP"


@dataclass(frozen=True)
class Classification:
    manipulation_rule: RuleResult
    stabilisation_rule: RuleResult
    stage: Stage
    directional_preference: DirectionalPreference
    traction_conflict: str | None


def _count_rule(rule_id: str, criteria: tuple[Criterion, ...], needed: int) -> RuleResult:
    met = sum(1 for c in criteria if c.met)
    unknown = sum(1 for c in criteria if c.met is None)
    if met >= needed:
        result = "positive"
    elif met + unknown < needed:
        result = "negative"
    else:
        result = "indeterminate"
    return RuleResult(rule_id, criteria, met, unknown, needed, result)


def _work_subscale(fabq: FabqScore | NotScored | None) -> FabqSubscale | None:
    if isinstance(fabq, FabqScore) and isinstance(fabq.work, FabqSubscale):
        return fabq.work
    return None


def _known(value: object, text: str) -> str:
    return text if value is not None else "not recorded"


def manipulation_rule(case: Case, fabq: FabqScore | NotScored | None) -> RuleResult:
    """CPR (Flynn 2002; Childs 2004): 4 or more of 5 strict criteria -> positive."""
    days = case.episode.duration_days
    below = case.episode.below_knee
    work = _work_subscale(fabq)
    hips = [h for h in (case.exam.hip_ir_left, case.exam.hip_ir_right) if h is not None]
    seg = case.exam.hypomobile_segment
    criteria = (
        Criterion("CPR-1", "episode under 16 days", None if days is None else days < 16,
                  _known(days, f"{days} days")),
        Criterion("CPR-2", "no symptoms below the knee", None if below is None else not below,
                  _known(below, "below the knee" if below else "not below the knee")),
        Criterion("CPR-3", "FABQ work subscale under 19", None if work is None else work.score < 19,
                  _known(work, f"FABQ work {work.score}" if work else "")),
        Criterion("CPR-4", "a hip with over 35 degrees internal rotation",
                  any(h > 35 for h in hips) if hips else None,
                  _known(max(hips) if hips else None, f"best hip {max(hips, default=0):g} deg")),
        Criterion("CPR-5", "a hypomobile lumbar segment", seg,
                  _known(seg, "found" if seg else "none")),
    )  # fmt: skip
    return _count_rule("CPR", criteria, 4)


def stabilisation_rule(case: Case) -> RuleResult:
    """TBC-STAB (Hicks 2005 via Fritz 2007): 3 of 4 -> likely to respond to stabilisation."""
    age = case.patient.age
    slrs = [s for s in (case.exam.slr_left, case.exam.slr_right) if s is not None]
    # The average of both sides; one side alone stands in when only one was measured.
    slr = sum(slrs) / len(slrs) if slrs else None
    ab, pit = case.exam.aberrant_movement, case.exam.prone_instability_test
    criteria = (
        Criterion("TBC-STAB-1", "age under 40", None if age is None else age < 40,
                  _known(age, f"age {age}")),
        Criterion("TBC-STAB-2", "average straight-leg raise over 91 degrees",
                  None if slr is None else slr > 91, _known(slr, f"average SLR {slr or 0:g} deg")),
        Criterion("TBC-STAB-3", "aberrant movement", ab, _known(ab, "present" if ab else "absent")),
        Criterion("TBC-STAB-4", "positive prone instability test", pit,
                  _known(pit, "positive" if pit else "negative")),
    )  # fmt: skip
    return _count_rule("TBC-STAB", criteria, 3)


def treatment_stage(case: Case, odi: OdiScore | NotScored | None, nprs: int | None) -> Stage:
    """TBC-STAGE, a heuristic (no guideline gives numbers): high pain, disability or irritability,
    or the first week of an episode with NPRS 5 or more -> symptom modulation; low on all three
    -> function optimisation; else movement control."""
    irritability = case.exam.irritability
    percent = odi.percent if isinstance(odi, OdiScore) else None
    known = [v is not None for v in (nprs, percent, irritability)]
    if not any(known):
        return Stage(None, ("cannot stage: no NPRS, ODI or irritability recorded",))
    high = [
        r
        for r, hit in (
            (f"NPRS {nprs} >= 7", nprs is not None and nprs >= 7),
            (f"ODI {percent}% > 40", percent is not None and percent > 40),
            ("high irritability", irritability == "high"),
            (f"first week of the episode with NPRS {nprs}", _first_week(case, nprs)),
        )
        if hit
    ]
    if high:
        return Stage("symptom_modulation", tuple(high))
    low = (nprs is None or nprs <= 3) and (percent is None or percent <= 20)
    if low and irritability in (None, "low"):
        return Stage("function_optimisation", ("pain, disability and irritability are low",))
    return Stage("movement_control", ("moderate pain, disability or irritability",))


def _first_week(case: Case, nprs: int | None) -> bool:
    days = case.episode.duration_days
    return days is not None and days < 7 and nprs is not None and nprs >= 5


def directional_preference(case: Case) -> DirectionalPreference:
    """TBC-DP: exercise in the direction that centralises; stop what peripheralises."""
    preferred = case.exam.directions("centralises")
    avoid = case.exam.directions("peripheralises")
    if preferred:
        guidance = f"repeated {', '.join(preferred)} exercises lead; they centralised symptoms"
    elif avoid:
        guidance = "no centralising direction found; avoid the directions that peripheralise"
    else:
        guidance = "no directional preference recorded; use neutral-spine exercises"
    return DirectionalPreference(preferred, avoid, guidance)


def traction_conflict(case: Case) -> str | None:
    """TBC-TRACTION: the traction subgroup (Fritz 2007) meets NICE NG59, which advises against
    traction. The conflict is shown, never resolved silently; traction is not planned."""
    leg = case.episode.below_knee is True
    extension_worse = "extension" in case.exam.directions("peripheralises")
    if leg and (extension_worse or case.exam.crossed_slr is True):
        return (
            "traction subgroup signs (leg symptoms with peripheralisation on extension or a "
            "positive crossed SLR) but NICE NG59 advises against traction: not planned; the "
            "therapist decides"
        )
    return None


def classify(
    case: Case,
    odi: OdiScore | NotScored | None,
    nprs: int | None,
    fabq: FabqScore | NotScored | None,
) -> Classification:
    return Classification(
        manipulation_rule=manipulation_rule(case, fabq),
        stabilisation_rule=stabilisation_rule(case),
        stage=treatment_stage(case, odi, nprs),
        directional_preference=directional_preference(case),
        traction_conflict=traction_conflict(case),
    )
