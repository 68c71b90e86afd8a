"""The treatment plan's shape: frozen dataclasses that say what to do and why."""

from dataclasses import dataclass

from .codes import Code

PILLARS = ("manual_therapy", "therapeutic_exercise", "posture_movement_training", "education")


@dataclass(frozen=True)
class Element:
    """One thing to do, with the rule and evidence behind it, written for the therapist."""

    what: str
    reason: str
    rule_id: str
    pillar: str | None  # one of PILLARS, or None (a screening step, a modality)
    intervention: str | None = None  # a vocab.INTERVENTIONS entry when it is one
    grade: str | None = None
    source: str = ""
    heuristic: bool = False
    modification: str | None = None
    cpt: str | None = None


@dataclass(frozen=True)
class Phase:
    key: str  # symptom_relief | active_care | return_to_activity
    title: str
    goal: str
    elements: tuple[Element, ...]
    move_on_when: tuple[str, ...]
    move_on_rule: str
    current: bool


@dataclass(frozen=True)
class Pillar:
    name: str
    included: bool
    reason: str


@dataclass(frozen=True)
class Held:
    intervention: str
    rule_ids: tuple[str, ...]
    reason: str
    verdict: str = "contraindicated"  # or "relative": not until cleared


@dataclass(frozen=True)
class Intensity:
    start_back_risk: str | None
    approach: str
    rule_id: str
    reason: str


@dataclass(frozen=True)
class Visits:
    per_week: int | None
    weeks: int | None
    total: int | None
    reason: str
    rule_id: str = "PLAN-FREQ"
    heuristic: bool = True


@dataclass(frozen=True)
class HomeExercise:
    id: str
    name: str
    category: str
    target: str
    instructions: tuple[str, ...]
    dose: str
    dose_source: str
    minutes: int
    progress: str
    regress: str
    stop_if: str
    why: str
    modifications: tuple[str, ...]


@dataclass(frozen=True)
class HomeProgramme:
    phase: str
    minutes_available: int
    minutes_used: int
    exercises: tuple[HomeExercise, ...]
    notes: tuple[str, ...]
    rule_id: str = "PLAN-HEP"
    heuristic: bool = True


@dataclass(frozen=True)
class Plan:
    status: str  # planned | provisional | on_hold | withheld (labels.PLAN_STATUS_LABELS)
    message: str
    assessment_focus: tuple[str, ...] = ()
    intensity: Intensity | None = None
    current_phase: str | None = None
    phases: tuple[Phase, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    held: tuple[Held, ...] = ()
    visits: Visits | None = None
    home_programme: HomeProgramme | None = None
    diagnosis_codes: tuple[Code, ...] = ()
    procedure_codes: tuple[Code, ...] = ()
    notes: tuple[str, ...] = ()
