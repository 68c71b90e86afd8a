"""A safety verdict for every intervention and every library exercise (rules CI-*, EX-*).

Four levels, as clinicians say them: contraindicated (never planned; an override needs a
written reason), relative (a relative contraindication: not until cleared by the physician or
the flag is resolved), precaution (planned with its modification), ok. Each reason says where
it applies (locally over the lumbar spine, or anywhere) and, for soft tissue work, whether it
concerns deep pressure only. Exercises get a verdict each, from their own tags (loading, spine
movement, position, impact), so a rule about loaded flexion does not hold back walking.

The rules are a table so a therapist (and a test) can read every trigger in one place. The
consistency rules of RULES section 4 are kept by construction and checked as properties:
thrust is never less cautious than non-thrust mobilisation for any trigger, deep pressure never
less cautious than light, a suspected condition never lighter than the same condition known.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import vocab
from .facts import case_facts
from .labels import TIER_LABELS, fact_label
from .library import Exercise, exercise_library
from .model import Case
from .settings import DEFAULT_SETTINGS, Settings
from .triage import EMERGENCY, URGENT, Triage

CONTRAINDICATED, RELATIVE, PRECAUTION, OK = "contraindicated", "relative", "precaution", "ok"
LEVELS = (OK, PRECAUTION, RELATIVE, CONTRAINDICATED)  # least to most cautious
LOCAL, GENERAL = "local", "general"
ANY, DEEP = "any", "deep"

ExerciseTest = Callable[[Exercise], bool]


@dataclass(frozen=True)
class SafetyRule:
    rule_id: str
    interventions: tuple[str, ...]
    verdict: str
    triggers: tuple[str, ...]
    why: str
    modification: str | None
    source: str
    heuristic: bool = False
    scope: str = GENERAL  # LOCAL: over the lumbar spine, where the clinic treats
    depth: str = ANY  # DEEP: concerns deep pressure only (soft tissue work)
    # Exercise rules concern only the exercises this test picks; for the intervention as a
    # whole they are a precaution carrying the modification, except for the interventions in
    # `wholly`, every exercise of which the rule concerns (strengthening is always loaded).
    exercise: ExerciseTest | None = None
    wholly: tuple[str, ...] = ()

    def level_for(self, intervention: str) -> str:
        whole = self.exercise in (None, _every) or intervention in self.wholly
        return self.verdict if whole else PRECAUTION


@dataclass(frozen=True)
class Reason:
    rule_id: str
    verdict: str
    finding: str
    why: str
    modification: str | None
    heuristic: bool
    scope: str = GENERAL
    depth: str = ANY


@dataclass(frozen=True)
class Variant:
    """Soft tissue work at one depth: light pressure, or deep pressure."""

    variant: str
    verdict: str


@dataclass(frozen=True)
class Verdict:
    intervention: str
    verdict: str
    reasons: tuple[Reason, ...]
    where: str | None = None  # LOCAL or GENERAL for the reasons that decided; None when ok
    variants: tuple[Variant, ...] = ()

    @property
    def modifications(self) -> tuple[str, ...]:
        mods = [r.modification for r in self.reasons if r.modification]
        if self.variants and self.variants[-1].verdict != self.verdict:
            mods.append("light pressure only: no deep tissue work")
        return tuple(dict.fromkeys(mods))


@dataclass(frozen=True)
class ExerciseVerdict:
    exercise: str
    verdict: str
    reasons: tuple[Reason, ...]

    @property
    def modifications(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.modification for r in self.reasons if r.modification))


EPA = "Houghton et al., Physiotherapy Canada 2010; Cameron, Physical Agents in Rehabilitation"
IFOMPT = "IFOMPT framework (Finucane 2020); RULES section 4"
MASSAGE = "massage contraindication and precaution lists; RULES section 4"
CES = vocab.CES_KEYS
EXERCISE = ("stretching", "resistance_exercise", "motor_control_exercise")
MOVEMENT = (*EXERCISE, "posture_movement_training")
# The interventions whose library exercises carry body weight or added weights.
LOADED = ("resistance_exercise", "motor_control_exercise", "posture_movement_training")
WEIGHTED = ("resistance_exercise", "posture_movement_training")
# Stretching holds the exercises that bend or twist the spine; posture and movement training
# is where bending and lifting mechanics are taught, so it carries the same modification.
BENDING = ("stretching", "posture_movement_training")
TREATMENT = tuple(i for i in vocab.INTERVENTIONS if i != "education")
MANUAL = ("soft_tissue_massage", "thrust_manipulation", "non_thrust_mobilisation")


def _moves(*movements: str) -> ExerciseTest:
    return lambda ex: bool(set(movements) & set(ex.spine))


def _loaded(*loadings: str) -> ExerciseTest:
    return lambda ex: ex.loading in loadings


def _lying(position: str) -> ExerciseTest:
    return lambda ex: ex.position == position


def _spine_or_load(ex: Exercise) -> bool:
    return bool(ex.spine) or ex.loading != "none"


def _every(_: Exercise) -> bool:
    return True


# Triggers shared by thrust and non-thrust mobilisation, so thrust can never be less cautious.
MOB_CONTRA = ("malignancy_in_area", "RF-CANCER", "spinal_fracture", "RF-FRACTURE", "infection",
              "progressive_motor_deficit", *CES)  # fmt: skip
MOB_PRECAUTION = ("osteoporosis_severe", "bleeding_disorder", "anticoagulant",
                  "anticoagulant_high_dose", "spinal_instability", "pregnant", "postpartum",
                  "cancer_history", "low_bone_density", "corticosteroid_long_term")  # fmt: skip

RULES: tuple[SafetyRule, ...] = (
    # --- the triage and the screen (RULES section 1) ---
    SafetyRule("CI-TRIAGE-EMERGENCY", vocab.INTERVENTIONS, CONTRAINDICATED,
               (f"tier:{EMERGENCY}",), "emergency triage: no treatment until medically assessed",
               None, "RULES section 1", exercise=_every),
    SafetyRule("CI-TRIAGE-URGENT", ("thrust_manipulation",), RELATIVE, (f"tier:{URGENT}",),
               "urgent referral: hold thrust until the physician has replied", None,
               "RULES section 1"),
    SafetyRule("CI-TRIAGE-URGENT", ("non_thrust_mobilisation",), PRECAUTION, (f"tier:{URGENT}",),
               "urgent referral: hold vigorous manual therapy",
               "gentle, low-grade only until the physician has replied", "RULES section 1"),
    SafetyRule("CI-TRIAGE-URGENT", ("soft_tissue_massage",), RELATIVE, (f"tier:{URGENT}",),
               "urgent referral: hold vigorous manual therapy", None, "RULES section 1",
               depth=DEEP),
    SafetyRule("SCREEN-1", ("thrust_manipulation",), RELATIVE, ("screening_incomplete",),
               "the red-flag screen is not complete", None, "RULES section 1 (SCREEN-1)"),
    SafetyRule("SCREEN-1", ("superficial_heat",), RELATIVE, ("screening_incomplete",),
               "the red-flag screen is not complete: no heat over the spine", None,
               "RULES section 1 (SCREEN-1)", scope=LOCAL),
    SafetyRule("SCREEN-1", ("soft_tissue_massage",), RELATIVE, ("screening_incomplete",),
               "the red-flag screen is not complete: no deep pressure over the spine", None,
               "RULES section 1 (SCREEN-1)", scope=LOCAL, depth=DEEP),
    SafetyRule("SCREEN-1", WEIGHTED, RELATIVE,
               ("screening_incomplete",), "the red-flag screen is not complete: no loaded "
               "exercise", "body weight only until the screen is complete",
               "RULES section 1 (SCREEN-1)", exercise=_loaded("external")),
    SafetyRule("SCREEN-2", TREATMENT, RELATIVE, ("awaiting_clearance",),
               "awaiting medical clearance after a referral: findings and education only",
               None, "RULES section 1 (SCREEN-2)", exercise=_every),
    # --- superficial heat and cold ---
    SafetyRule("CI-HEAT", ("superficial_heat",), CONTRAINDICATED,
               ("impaired_sensation", "malignancy_in_area", "RF-CANCER", "infection",
                "recently_irradiated"),
               "heat over this tissue risks burns or spread", None, EPA, scope=LOCAL),
    SafetyRule("CI-HEAT-GENERAL", ("superficial_heat",), CONTRAINDICATED,
               ("impaired_mentation", "dvt", "suspected_dvt", "RF-DVT", "active_bleeding",
                "bleeding_disorder"),
               "heat risks bleeding, a clot moving, or burns the person cannot report", None,
               EPA),
    SafetyRule("CI-HEAT-P", ("superficial_heat",), PRECAUTION,
               ("acute_inflammation", "impaired_circulation", "oedema", "open_wound",
                "cardiac_insufficiency", "diabetes"),
               "heat may worsen this, or sensation may be reduced",
               "check skin sensation first; lower temperature, 10-15 minutes, check the skin",
               EPA, scope=LOCAL),
    SafetyRule("CI-HEAT-PREG", ("superficial_heat",), CONTRAINDICATED, ("pregnant",),
               "heat over the abdomen or low back is avoided in pregnancy", None, EPA,
               scope=LOCAL),
    SafetyRule("CI-COLD", ("cold",), CONTRAINDICATED,
               ("raynauds", "cold_urticaria", "cryoglobulinaemia",
                "paroxysmal_cold_haemoglobinuria", "peripheral_vascular_disease",
                "regenerating_nerve"),
               "cold provokes a harmful response in this condition", None, EPA),
    SafetyRule("CI-COLD-P", ("cold",), PRECAUTION,
               ("hypertension", "impaired_sensation", "impaired_mentation", "open_wound",
                "diabetes"),
               "cold needs care here", "15-20 minutes at most, towel barrier, check the skin",
               EPA),
    # --- soft tissue work ---
    SafetyRule("CI-MASSAGE", ("soft_tissue_massage",), CONTRAINDICATED,
               ("dvt", "suspected_dvt", "RF-DVT", "fever_or_unwell", "infection"),
               "pressure could dislodge a clot or spread infection", None, MASSAGE),
    SafetyRule("CI-MASSAGE-LOCAL", ("soft_tissue_massage",), CONTRAINDICATED,
               ("open_wound", "malignancy_in_area", "RF-CANCER", "spinal_fracture",
                "RF-FRACTURE"),
               "not over a wound, a tumor or a fracture, known or suspected", None, MASSAGE,
               scope=LOCAL),
    SafetyRule("CI-MASSAGE-DEEP", ("soft_tissue_massage",), CONTRAINDICATED,
               ("anticoagulant", "anticoagulant_high_dose", "bleeding_disorder",
                "osteoporosis_severe", "cancer_history"),
               "deep pressure risks bruising, bleeding or fracture", None, MASSAGE, depth=DEEP),
    SafetyRule("CI-MASSAGE-PREG", ("soft_tissue_massage",), PRECAUTION, ("pregnant",),
               "positioning in pregnancy", "side-lying or supported sitting, never prone",
               MASSAGE),
    # --- spinal manual therapy: every mobilisation trigger is a thrust trigger too ---
    SafetyRule("CI-THRUST", ("thrust_manipulation",), CONTRAINDICATED,
               (*MOB_CONTRA, "osteoporosis_severe", "spinal_instability", "bleeding_disorder",
                "anticoagulant_high_dose", "unstable_aneurysm"),
               "a high-velocity thrust could cause serious harm here", None, IFOMPT),
    SafetyRule("CI-THRUST-REL", ("thrust_manipulation",), RELATIVE,
               (*MOB_PRECAUTION, "hypermobility", "RF-AXSPA", "neuro_deficit"),
               "ligament laxity, bone, vessel or nerve fragility make a thrust unsafe until "
               "this is resolved or the physician agrees", None,
               "IFOMPT framework (Finucane 2020); Gibbons & Tehan 2016", heuristic=True),
    SafetyRule("CI-MOB", ("non_thrust_mobilisation",), CONTRAINDICATED, MOB_CONTRA,
               "needs medical care before any spinal mobilization", None, IFOMPT,
               heuristic=True),
    SafetyRule("CI-MOB-P", ("non_thrust_mobilisation",), PRECAUTION, MOB_PRECAUTION,
               "force must stay low", "gentle, low-grade (I-II) mobilization only", IFOMPT,
               heuristic=True),
    # --- exercise, as a whole and per exercise ---
    SafetyRule("CI-RESIST", LOADED, CONTRAINDICATED,
               ("bp_over_180_110", "unstable_cardiac_disease", "fever_or_unwell",
                "acute_thrombophlebitis", "recent_embolism", "dvt", "suspected_dvt", "RF-DVT"),
               "strengthening is unsafe until this is resolved", "no strengthening exercise",
               "AHA advisory, Pollock et al. 2000",
               exercise=_loaded("body_weight", "external"), wholly=("resistance_exercise",)),
    SafetyRule("CI-RESIST-P", LOADED, PRECAUTION, ("bp_over_160_100",),
               "blood pressure is raised", "moderate load, no breath-holding, recheck BP first",
               "AHA advisory, Pollock et al. 2000", exercise=_loaded("body_weight", "external")),
    SafetyRule("EX-FRACTURE", MOVEMENT, CONTRAINDICATED, ("spinal_fracture", "RF-FRACTURE"),
               "no spinal movement or loading until a fracture is excluded",
               "spine-neutral, unloaded exercise only (walking, bracing)",
               "Downie et al., BMJ 2013; house rule pending imaging", heuristic=True,
               exercise=_spine_or_load, wholly=("resistance_exercise",)),
    SafetyRule("EX-CANCER", WEIGHTED, RELATIVE, ("RF-CANCER", "malignancy_in_area"),
               "possible or known spinal metastasis: no added weights until the physician "
               "clears loading", "body weight only until the physician clears loading",
               "house rule pending the physician", heuristic=True,
               exercise=_loaded("external")),
    SafetyRule("EX-BONE", BENDING, CONTRAINDICATED, ("osteoporosis",),
               "fragile vertebrae: bending forward and twisting load them most",
               "no loaded or end-range bending forward or twisting; hinge at the hips",
               "Giangregorio et al., Too Fit To Fracture, Osteoporos Int 2014",
               exercise=_moves("flexion", "rotation")),
    SafetyRule("EX-BONE-SEVERE", BENDING, CONTRAINDICATED, ("osteoporosis_severe",),
               "severe osteoporosis: even gentle bending forward loads fragile vertebrae",
               "spine-neutral exercise only",
               "Giangregorio et al., Too Fit To Fracture, Osteoporos Int 2014",
               exercise=_moves("flexion_gentle")),
    SafetyRule("EX-BONE-GENTLE", BENDING, PRECAUTION, ("osteoporosis",),
               "fragile vertebrae", "small, slow range only",
               "Giangregorio et al., Too Fit To Fracture, Osteoporos Int 2014",
               exercise=_moves("flexion_gentle")),
    SafetyRule("EX-BONE-LOW", BENDING, PRECAUTION,
               ("low_bone_density", "corticosteroid_long_term"),
               "bone may be weaker than usual", "no end-range bending forward or twisting",
               "Giangregorio et al., Too Fit To Fracture, Osteoporos Int 2014",
               exercise=_moves("flexion", "rotation")),
    SafetyRule("EX-BONE-LOAD", WEIGHTED, RELATIVE, ("osteoporosis_severe",),
               "severe osteoporosis: weights are started under supervision in the clinic",
               "added weights only once supervised in the clinic",
               "Giangregorio et al., Too Fit To Fracture, Osteoporos Int 2014", heuristic=True,
               exercise=_loaded("external")),
    SafetyRule("CI-PREG-EX", MOVEMENT, PRECAUTION, ("pregnant",), "exercise in pregnancy",
               "no breath-holding, moderate intensity, stop with bleeding, dizziness or pain",
               "ACOG Committee Opinion 804, 2020", exercise=_every),
    SafetyRule("EX-PREG-PRONE", MOVEMENT, CONTRAINDICATED, ("pregnant",),
               "lying face down is avoided in pregnancy", "not lying face down",
               "ACOG Committee Opinion 804, 2020", exercise=_lying("prone")),
    SafetyRule("EX-PREG-SUPINE", MOVEMENT, CONTRAINDICATED, ("pregnant_20_weeks_plus",),
               "from 20 weeks, lying flat on the back can press on the large veins",
               "side-lying, sitting or standing instead of lying on the back",
               "ACOG Committee Opinion 804, 2020", exercise=_lying("supine")),
    SafetyRule("EX-PREG-SUPINE-EARLY", MOVEMENT, PRECAUTION, ("pregnant",),
               "lying on the back in pregnancy", "short spells lying on the back only",
               "ACOG Committee Opinion 804, 2020", exercise=_lying("supine")),
    SafetyRule("EX-POSTPARTUM", LOADED, PRECAUTION, ("postpartum",),
               "the months after giving birth: ligaments and the abdominal wall recover slowly",
               "build load up gradually; check for abdominal separation and pelvic floor "
               "symptoms first", "ACOG Committee Opinion 804, 2020; house rule",
               heuristic=True, exercise=_loaded("body_weight", "external")),
    SafetyRule("TBC-DP", MOVEMENT, CONTRAINDICATED, ("peripheralises",),
               "this movement direction sent symptoms down the leg",
               "stop any exercise that spreads symptoms into the leg",
               "Fritz et al., JOSPT 2007 (directional preference)",
               exercise=lambda ex: False),  # per exercise: see _direction_reasons
    # --- what a physician asked to avoid when clearing a referral (SCREEN-2) ---
    SafetyRule("CLEAR-NO-THRUST", ("thrust_manipulation",), CONTRAINDICATED,
               ("restriction:no_thrust", "restriction:no_spinal_manual_therapy"),
               "the physician asked to avoid it", None, "the physician's clearance"),
    SafetyRule("CLEAR-NO-SPINAL-MANUAL", ("non_thrust_mobilisation",), CONTRAINDICATED,
               ("restriction:no_spinal_manual_therapy",), "the physician asked to avoid it",
               None, "the physician's clearance"),
    SafetyRule("CLEAR-LIGHT-PRESSURE", ("soft_tissue_massage",), CONTRAINDICATED,
               ("restriction:light_pressure_only",), "the physician asked for light pressure",
               None, "the physician's clearance", depth=DEEP),
    SafetyRule("CLEAR-NO-HEAT", ("superficial_heat",), CONTRAINDICATED,
               ("restriction:no_heat",), "the physician asked to avoid it", None,
               "the physician's clearance"),
    SafetyRule("CLEAR-NO-LOAD", WEIGHTED, CONTRAINDICATED, ("restriction:no_loaded_exercise",),
               "the physician asked to avoid added weights", "body weight only",
               "the physician's clearance", exercise=_loaded("external")),
    SafetyRule("CLEAR-NO-RESIST", LOADED, CONTRAINDICATED,
               ("restriction:no_resistance_exercise",),
               "the physician asked to avoid strengthening", "no strengthening exercise",
               "the physician's clearance", exercise=_loaded("body_weight", "external"),
               wholly=("resistance_exercise",)),
    SafetyRule("CLEAR-NO-FLEXION", BENDING, CONTRAINDICATED,
               ("restriction:no_spinal_flexion_or_twisting",),
               "the physician asked to avoid bending forward and twisting",
               "no bending forward or twisting", "the physician's clearance",
               exercise=_moves("flexion", "flexion_gentle", "rotation")),
    SafetyRule("CLEAR-NO-IMPACT", MOVEMENT, CONTRAINDICATED, ("restriction:no_impact",),
               "the physician asked to avoid impact", "no jumping or running",
               "the physician's clearance", exercise=lambda ex: ex.impact == "high"),
)  # fmt: skip


def facts(case: Case, screen: Triage, settings: Settings = DEFAULT_SETTINGS) -> frozenset[str]:
    """Everything the safety table can trigger on: the person's facts, the rules that fired
    (and are not covered by a clearance), the tier, the screen, the hold and restrictions."""
    found = set(case_facts(case, settings)) | {rule.rule_id for rule in screen.active}
    found.add(f"tier:{screen.tier}")
    if not screen.screen.complete:
        found.add("screening_incomplete")
    if screen.on_hold:
        found.add("awaiting_clearance")
    return frozenset(found | {f"restriction:{r}" for r in case.clearance.restrictions})


def _label(fact: str) -> str:
    if fact.startswith("tier:"):
        return TIER_LABELS.get(fact[5:], fact[5:]).lower()
    return fact_label(fact)


def _reasons(rule: SafetyRule, found: frozenset[str], verdict: str) -> list[Reason]:
    return [Reason(rule.rule_id, verdict, _label(t), rule.why, rule.modification,
                   rule.heuristic, rule.scope, rule.depth)
            for t in rule.triggers if t in found]  # fmt: skip


def _worst(reasons: list[Reason] | tuple[Reason, ...]) -> str:
    return max((r.verdict for r in reasons), key=LEVELS.index, default=OK)


def _where(reasons: list[Reason], level: str) -> str | None:
    scopes = {r.scope for r in reasons if r.verdict == level}
    return None if level == OK else (LOCAL if scopes == {LOCAL} else GENERAL)


def verdict_for(intervention: str, found: frozenset[str]) -> Verdict:
    """The intervention's verdict. An exercise rule is a precaution for the whole intervention
    (its modification says what to avoid); a deep-pressure rule decides the deep variant."""
    reasons: list[Reason] = []
    for rule in RULES:
        if intervention in rule.interventions:
            reasons += _reasons(rule, found, rule.level_for(intervention))
    light = _worst([r for r in reasons if r.depth == ANY])
    deep = _worst(reasons)
    overall = light if deep == light else max(light, PRECAUTION, key=LEVELS.index)
    variants: tuple[Variant, ...] = ()
    if intervention == "soft_tissue_massage":
        variants = (Variant("light pressure", light), Variant("deep pressure", deep))
    return Verdict(intervention, overall, tuple(reasons), _where(reasons, overall), variants)


def _direction_reasons(ex: Exercise, found: frozenset[str]) -> list[Reason]:
    if f"peripheralises:{ex.direction}" not in found:
        return []
    rule = next(r for r in RULES if r.rule_id == "TBC-DP")
    return [Reason(rule.rule_id, CONTRAINDICATED, _label(f"peripheralises:{ex.direction}"),
                   rule.why, rule.modification, rule.heuristic)]  # fmt: skip


def exercise_verdict(ex: Exercise, found: frozenset[str]) -> ExerciseVerdict:
    """One exercise: the rules of its intervention that concern its tags, at their level."""
    reasons = _direction_reasons(ex, found)
    for rule in RULES:
        if ex.intervention in rule.interventions and (rule.exercise or _never)(ex):
            reasons += _reasons(rule, found, rule.verdict)
    return ExerciseVerdict(ex.id, _worst(reasons), tuple(reasons))


def _never(_: Exercise) -> bool:
    return False


def safety(
    case: Case, screen: Triage, settings: Settings = DEFAULT_SETTINGS
) -> tuple[Verdict, ...]:
    """A verdict for each intervention in vocab.INTERVENTIONS, in that order."""
    found = facts(case, screen, settings)
    return tuple(verdict_for(name, found) for name in vocab.INTERVENTIONS)


def exercise_safety(
    case: Case, screen: Triage, settings: Settings = DEFAULT_SETTINGS
) -> tuple[ExerciseVerdict, ...]:
    """A verdict for each exercise of the library, in library order."""
    found = facts(case, screen, settings)
    return tuple(exercise_verdict(ex, found) for ex in exercise_library())
