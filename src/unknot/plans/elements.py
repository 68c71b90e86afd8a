"""Plan elements as stored in PlanOfCare.elements: the core's proposal plus the therapist's edits.

Each element is the core's Element (what, reason, rule_id, pillar, intervention, grade, source,
heuristic, modification, cpt) with: key, phase, dose, origin (proposal | therapist), safety (the
intervention's verdict), override (a written reason, kept for good), topics (education topics
assigned on signing), exercise_key (home exercises), removed / added (who and when).
"""

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from unknot.care import DEFAULT_SETTINGS, Assessment, instruments, vocab
from unknot.care.codes import INTERVENTION_CPT
from unknot.care.labels import INTERVENTION_LABELS
from unknot.care.library import exercise, exercise_library
from unknot.care.plan_model import HomeProgramme

PILLAR_OF = {
    "soft_tissue_massage": "manual_therapy",
    "thrust_manipulation": "manual_therapy",
    "non_thrust_mobilisation": "manual_therapy",
    "stretching": "therapeutic_exercise",
    "resistance_exercise": "therapeutic_exercise",
    "motor_control_exercise": "therapeutic_exercise",
    "posture_movement_training": "posture_movement_training",
    "education": "education",
}
# Prevention lessons a signed plan assigns (EducationAssignment.topic_key). Stable keys.
TOPICS = {
    "lifting": "Lifting and carrying without straining the back",
    "sitting": "Sitting, desk and car set-up, movement breaks",
    "sleep_position": "Resting and sleeping positions during a spasm",
    "hydration": "Drinking enough before, during and after exertion",
    "core_strength": "Keeping the trunk muscles strong",
    "staying_active": "Staying active and pacing",
    "pain_science": "How pain works and why movement is safe",
    "flare_plan": "A plan for a flare-up",
    "worry_and_movement": "Worry, fear of moving and getting back to things",
}
# Which lessons each rule's element brings (house mapping, see docs/clinical.md).
_RULE_TOPICS = {
    "CAUSE-LIFT": ("lifting",),
    "CAUSE-HYDRATION": ("hydration",),
    "CAUSE-ABDO": ("core_strength",),
    "CPG-EDUCATION": ("staying_active", "sleep_position"),
    "CPG-PNE": ("pain_science",),
    "SBST-HIGH": ("pain_science", "worry_and_movement"),
    "EDU-PREVENT": ("flare_plan",),
}
# The measures a goal may be set on (PlanGoal.instrument): those followed over an episode.
INSTRUMENT_NAMES = {m.key: m.short for m in instruments.FOLLOWED}


def topics_for(element: dict[str, Any], work: tuple[str, ...]) -> list[str]:
    topics = list(_RULE_TOPICS.get(element.get("rule_id", ""), ()))
    if element.get("rule_id") == "PLAN-WORK" and {"desk", "driving"} & set(work):
        topics.append("sitting")
    return topics


def verdicts(proposal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["intervention"]: v for v in proposal.get("safety", ())}


def findings(proposal: dict[str, Any], intervention: str | None) -> list[str]:
    """Why the core ruled as it did, kept next to an override so it can be read later."""
    verdict = verdicts(proposal).get(intervention or "", {})
    return [f"{r['rule_id']}: {r['finding']} ({r['why']})" for r in verdict.get("reasons", ())]


def modification(verdict: dict[str, Any]) -> str | None:
    mods = [r["modification"] for r in verdict.get("reasons", ()) if r.get("modification")]
    return "; ".join(dict.fromkeys(mods)) or None


def _home(programme: HomeProgramme | None, safety: Mapping[str, str]) -> list[dict[str, Any]]:
    if programme is None:  # withheld: no home exercises either
        return []
    out = []
    for ex in programme.exercises:
        intervention = exercise(ex.id).intervention
        out.append({
            "what": f"Home exercise: {ex.name}", "reason": ex.why, "rule_id": "PLAN-HEP",
            "pillar": "therapeutic_exercise", "intervention": intervention, "grade": None,
            "source": ex.dose_source, "heuristic": True,
            "modification": "; ".join(ex.modifications) or None, "cpt": None,
            "phase": programme.phase, "dose": ex.dose, "exercise_key": ex.id,
            "safety": safety.get(intervention, "ok"),
        })  # fmt: skip
    return out


def from_proposal(assessment: Assessment, work: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every phase element and home exercise of a fresh proposal, ready to edit. Read from the
    assessment itself: it is at hand when a plan is proposed, so nothing is parsed back."""
    safety = {v.intervention: v.verdict for v in assessment.safety}
    out: list[dict[str, Any]] = []
    for phase in assessment.plan.phases:
        for item in phase.elements:
            verdict = safety.get(item.intervention or "")
            out.append({**asdict(item), "phase": phase.key, "dose": "", "safety": verdict})
    out += _home(assessment.plan.home_programme, safety)
    for element in out:
        element |= {"origin": "proposal", "override": None, "topics": topics_for(element, work)}
    return renumber(out)


def renumber(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "key": f"e{n}"} for n, e in enumerate(elements, start=1)]


def active(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in elements if not e.get("removed")]


def item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """What a therapist may add: an intervention, a library exercise or an education topic."""
    return [
        ("Interventions", [(f"int:{k}", INTERVENTION_LABELS[k]) for k in vocab.INTERVENTIONS]),
        ("Home exercises (library)", [(f"ex:{e.id}", e.name) for e in exercise_library()]),
        ("Prevention education", [(f"edu:{k}", label) for k, label in TOPICS.items()]),
    ]


def from_item(item: str) -> dict[str, Any]:
    """A new element for an item of item_choices(); ValueError for anything else."""
    kind, _, key = item.partition(":")
    base: dict[str, Any] = {"rule_id": "THERAPIST", "grade": None, "heuristic": False,
                            "source": "therapist's clinical judgement", "origin": "therapist",
                            "dose": "", "topics": []}  # fmt: skip
    if kind == "int" and key in INTERVENTION_LABELS:
        return base | {"what": INTERVENTION_LABELS[key], "intervention": key,
                       "pillar": PILLAR_OF.get(key), "cpt": INTERVENTION_CPT[key]}  # fmt: skip
    if kind == "ex" and key in {e.id for e in exercise_library()}:
        ex = exercise(key)
        return base | {"what": f"Home exercise: {ex.name}", "intervention": ex.intervention,
                       "pillar": "therapeutic_exercise", "cpt": None, "exercise_key": ex.id,
                       "dose": ex.dose, "source": ex.dose_source}  # fmt: skip
    if kind == "edu" and key in TOPICS:
        return base | {"what": f"Education: {TOPICS[key]}", "intervention": "education",
                       "pillar": "education", "cpt": INTERVENTION_CPT["education"],
                       "topics": [key]}  # fmt: skip
    raise ValueError(f"not something that can be added: {item}")


# --- goals -----------------------------------------------------------------------------------


def _nprs(base: float, mcid: float) -> tuple[float, float] | None:
    if base < mcid:
        return None  # already near zero: no pain goal is meaningful
    short = max(0.0, base - mcid)
    return short, min(short, 3.0) if base > 3 else short


def _odi(base: float, points: float) -> tuple[float, float] | None:
    if base < points:
        return None
    short = max(0.0, base - points)
    return short, 20.0 if short > 20 else short


def _psfs(base: float, mcid: float) -> tuple[float, float] | None:
    if base > 10 - mcid:
        return None
    short = min(10.0, base + mcid)
    return short, max(short, 8.0)


def suggest_goals(baseline: Any, weeks: int, make: Callable[..., Any]) -> list[Any]:
    """Short-term goal: the meaningful change (MCID-*) by half-way; long-term: a level that
    PROG-2 / PLAN-DISCHARGE treat as recovered (NPRS <= 3, ODI <= 20 %, PSFS >= 8)."""
    s = DEFAULT_SETTINGS
    half = max(1, round(weeks / 2))
    rows = (
        ("nprs", "<=", baseline.nprs, lambda b: _nprs(b, s.nprs_mcid)),
        ("odi", "<=", baseline.odi, lambda b: _odi(b, s.odi_mcid_points)),
        ("psfs", ">=", baseline.psfs, lambda b: _psfs(b, s.psfs_mcid_mean)),
    )
    goals = []
    for instrument, comparison, value, targets in rows:
        found = None if value is None else targets(float(value))
        if found is None:
            continue
        short, long = (round(t, 1) for t in found)
        goals.append(make("short", instrument, comparison, short, half))
        goals.append(make("long", instrument, comparison, long, weeks))
    return goals
