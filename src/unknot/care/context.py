"""What the plan builders need to know, gathered once: case, triage, safety and classification."""

from collections.abc import Mapping
from dataclasses import dataclass

from .classify import Classification
from .codes import INTERVENTION_CPT
from .model import Case
from .plan_model import Element
from .safety import OK, PRECAUTION, ExerciseVerdict, Verdict
from .settings import Settings
from .triage import Triage

CPG = "George et al., JOSPT 2021 (APTA low back pain CPG)"
# The CPG grades differ for acute and chronic pain; chronic is over 3 months (CPG-CHRONIC).
_GRADES = {
    "manual": ("A", "A"),
    "massage": ("B", "B"),
    "education": ("B", "A"),
    "exercise": ("C", "A"),
}
CHRONIC_DAYS = 90


@dataclass(frozen=True)
class PlanContext:
    case: Case
    settings: Settings
    triage: Triage
    verdicts: Mapping[str, Verdict]
    exercise_verdicts: Mapping[str, ExerciseVerdict]
    facts: frozenset[str]
    classification: Classification
    start_back_risk: str | None
    start_back_source: str | None = None  # where the risk was recorded, when not here

    @property
    def chronic(self) -> bool | None:
        days = self.case.episode.duration_days
        return None if days is None else days > CHRONIC_DAYS

    def safe(self, intervention: str) -> bool:
        """Plannable now: ok, or a precaution with its modification. Contraindicated and
        "not until cleared" (relative) are never planned."""
        return self.verdicts[intervention].verdict in (OK, PRECAUTION)

    def exercise_safe(self, exercise_id: str) -> bool:
        return self.exercise_verdicts[exercise_id].verdict in (OK, PRECAUTION)

    def clear(self, intervention: str) -> bool:
        return self.verdicts[intervention].verdict == OK

    def modification(self, intervention: str) -> str | None:
        return "; ".join(self.verdicts[intervention].modifications) or None

    def grade(self, topic: str) -> tuple[str | None, str]:
        """(grade, source) for a CPG topic, by chronicity; no grade when duration is unknown."""
        if self.chronic is None:
            return None, f"{CPG}; grade depends on duration, which is not recorded"
        acute, chronic = _GRADES[topic]
        return (chronic, f"{CPG}, chronic") if self.chronic else (acute, f"{CPG}, acute")

    def has_cause(self, cause: str) -> bool:
        return cause in self.case.episode.causes


def treat(
    ctx: PlanContext,
    intervention: str,
    what: str,
    reason: str,
    rule_id: str,
    pillar: str | None,
    topic: str | None = None,
    source: str = "",
    heuristic: bool = False,
) -> list[Element]:
    """A one-element list for a safe intervention, else empty: contraindicated and relative
    (not until cleared) are never planned."""
    if not ctx.safe(intervention):
        return []
    grade, cited = ctx.grade(topic) if topic else (None, source)
    return [
        Element(
            what=what,
            reason=reason,
            rule_id=rule_id,
            pillar=pillar,
            intervention=intervention,
            grade=grade,
            source=cited,
            heuristic=heuristic,
            modification=ctx.modification(intervention),
            cpt=INTERVENTION_CPT[intervention],
        )
    ]
