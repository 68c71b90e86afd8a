"""A safety verdict for every intervention (rules CI-*): contraindicated, precaution or ok.

The rules are a table, so a therapist (and a test) can read every trigger in one place. A
contraindicated intervention is never planned; a precaution is planned with its modification.
"""

from dataclasses import dataclass

from . import vocab
from .model import Case
from .triage import EMERGENCY, URGENT, Triage

CONTRAINDICATED, PRECAUTION, OK = "contraindicated", "precaution", "ok"


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


@dataclass(frozen=True)
class Reason:
    rule_id: str
    verdict: str
    finding: str
    why: str
    modification: str | None
    heuristic: bool


@dataclass(frozen=True)
class Verdict:
    intervention: str
    verdict: str
    reasons: tuple[Reason, ...]

    @property
    def modifications(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.modification for r in self.reasons if r.modification))


EPA = "Houghton et al., Physiotherapy Canada 2010; Cameron, Physical Agents in Rehabilitation"
CES = vocab.CES_KEYS
EXERCISE = ("stretching", "resistance_exercise", "motor_control_exercise")

RULES: tuple[SafetyRule, ...] = (
    SafetyRule("CI-HEAT", ("superficial_heat",), CONTRAINDICATED,
               ("impaired_sensation", "impaired_mentation", "malignancy_in_area", "dvt",
                "suspected_dvt", "active_bleeding", "bleeding_disorder", "infection",
                "recently_irradiated"),
               "heat over this tissue risks burns, bleeding or spread", None, EPA),
    SafetyRule("CI-HEAT-P", ("superficial_heat",), PRECAUTION,
               ("acute_inflammation", "impaired_circulation", "oedema", "open_wound",
                "cardiac_insufficiency"),
               "heat may worsen this", "lower temperature, 10-15 minutes, check the skin", EPA),
    SafetyRule("CI-HEAT-PREG", ("superficial_heat",), PRECAUTION, ("pregnant",),
               "heat over the abdomen or low back is avoided in pregnancy",
               "not over the abdomen or low back", EPA),
    SafetyRule("CI-COLD", ("cold",), CONTRAINDICATED,
               ("raynauds", "cold_urticaria", "cryoglobulinaemia",
                "paroxysmal_cold_haemoglobinuria", "peripheral_vascular_disease",
                "regenerating_nerve"),
               "cold provokes a harmful response in this condition", None, EPA),
    SafetyRule("CI-COLD-P", ("cold",), PRECAUTION,
               ("hypertension", "impaired_sensation", "impaired_mentation", "open_wound"),
               "cold needs care here", "15-20 minutes at most, towel barrier, check the skin",
               EPA),
    SafetyRule("CI-MASSAGE", ("soft_tissue_massage",), CONTRAINDICATED,
               ("dvt", "suspected_dvt", "fever_or_unwell", "infection", "open_wound",
                "malignancy_in_area", "spinal_fracture", "RF-FRACTURE"),
               "pressure here could dislodge a clot, spread infection or harm injured tissue",
               None, "massage contraindication lists; RULES section 4"),
    SafetyRule("CI-MASSAGE-P", ("soft_tissue_massage",), PRECAUTION,
               ("anticoagulant", "anticoagulant_high_dose", "bleeding_disorder",
                "osteoporosis_severe", "cancer_history", "RF-CANCER"),
               "deep pressure risks bruising or fracture", "light pressure only, no deep tissue",
               "massage precaution lists; RULES section 4"),
    SafetyRule("CI-MASSAGE-PREG", ("soft_tissue_massage",), PRECAUTION, ("pregnant",),
               "positioning in pregnancy", "side-lying or supported sitting, never prone",
               "massage precaution lists; RULES section 4"),
    SafetyRule("CI-THRUST", ("thrust_manipulation",), CONTRAINDICATED,
               ("malignancy_in_area", "osteoporosis_severe", "spinal_instability",
                "spinal_fracture", "infection", "progressive_motor_deficit", *CES,
                "bleeding_disorder", "anticoagulant_high_dose", "unstable_aneurysm",
                "RF-FRACTURE", "RF-CANCER"),
               "a high-velocity thrust could cause serious harm here", None,
               "IFOMPT framework (Finucane 2020); RULES section 4"),
    SafetyRule("CI-THRUST-P", ("thrust_manipulation",), PRECAUTION,
               ("anticoagulant", "osteoporosis", "corticosteroid_long_term"),
               "bone or vessel fragility raises the risk of a thrust",
               "prefer non-thrust mobilisation; if a thrust is used, low force",
               "IFOMPT framework (Finucane 2020), house rule", heuristic=True),
    SafetyRule("CI-MOB", ("non_thrust_mobilisation",), CONTRAINDICATED,
               ("malignancy_in_area", "spinal_fracture", "infection", "progressive_motor_deficit",
                *CES, "RF-FRACTURE"),
               "needs medical care before any spinal mobilisation", None,
               "IFOMPT framework (Finucane 2020), house rule", heuristic=True),
    SafetyRule("CI-MOB-P", ("non_thrust_mobilisation",), PRECAUTION,
               ("osteoporosis_severe", "bleeding_disorder", "anticoagulant",
                "anticoagulant_high_dose", "spinal_instability", "pregnant", "cancer_history"),
               "force must stay low", "gentle, low-grade (I-II) mobilisation only",
               "IFOMPT framework (Finucane 2020), house rule", heuristic=True),
    SafetyRule("CI-RESIST", ("resistance_exercise",), CONTRAINDICATED,
               ("bp_over_180_110", "unstable_cardiac_disease", "fever_or_unwell",
                "acute_thrombophlebitis", "recent_embolism", "dvt", "suspected_dvt"),
               "loaded exercise is unsafe until this is resolved", None,
               "AHA advisory, Pollock et al. 2000"),
    SafetyRule("CI-RESIST-FX", ("resistance_exercise",), CONTRAINDICATED,
               ("spinal_fracture", "RF-FRACTURE"), "no spinal loading until a fracture is excluded",
               None, "house rule, pending imaging", heuristic=True),
    SafetyRule("CI-RESIST-P", ("resistance_exercise",), PRECAUTION, ("bp_over_160_100",),
               "blood pressure is raised", "moderate load, no breath-holding, recheck BP first",
               "AHA advisory, Pollock et al. 2000"),
    SafetyRule("CI-RESIST-CANCER", ("resistance_exercise",), PRECAUTION, ("RF-CANCER",),
               "possible spinal metastasis not yet excluded",
               "body-weight only until the physician clears loading", "house rule",
               heuristic=True),
    SafetyRule("CI-PREG-EX", EXERCISE, PRECAUTION, ("pregnant",), "exercise in pregnancy",
               "no long spells lying flat on the back, no breath-holding, moderate intensity",
               "ACOG Committee Opinion 804, 2020"),
    SafetyRule("CI-OSTEO-EX", (*EXERCISE, "posture_movement_training"), PRECAUTION,
               ("osteoporosis", "osteoporosis_severe", "corticosteroid_long_term"),
               "fragile vertebrae",
               "no loaded or end-range spinal flexion and twisting; hinge at the hips",
               "Giangregorio et al., Too Fit To Fracture, Osteoporos Int 2014"),
    SafetyRule("TBC-DP", EXERCISE, PRECAUTION, ("peripheralises",),
               "a movement direction sent symptoms down the leg",
               "stop any exercise that spreads symptoms into the leg",
               "Fritz et al., JOSPT 2007 (directional preference)"),
)  # fmt: skip


def _bp_facts(case: Case) -> set[str]:
    bp = case.blood_pressure
    if bp is None:
        return set()
    found = set()
    if bp.systolic > 180 or bp.diastolic > 110:
        found.add("bp_over_180_110")
    elif bp.systolic > 160 or bp.diastolic > 100:
        found.add("bp_over_160_100")
    if bp.systolic >= 140 or bp.diastolic >= 90:
        found.add("hypertension")
    return found


def facts(case: Case, screen: Triage) -> frozenset[str]:
    """Everything the safety table can trigger on: conditions, medicines, flags, fired rules."""
    found = set(case.conditions) | set(case.medicines) | set(case.red_flags.positive)
    found |= _bp_facts(case)
    found |= {rule.rule_id for rule in screen.fired}
    if case.patient.pregnant:
        found.add("pregnant")
    if case.exam.directions("peripheralises"):
        found.add("peripheralises")
    if case.exam.neuro_deficit:
        found.add("neuro_deficit")
    return frozenset(found)


_TRIAGE_HOLDS = {
    URGENT: (
        ("thrust_manipulation", CONTRAINDICATED, None),
        ("soft_tissue_massage", PRECAUTION, "light pressure only until the physician has replied"),
        ("non_thrust_mobilisation", PRECAUTION, "gentle, low-grade only until the physician has "
         "replied"),
    ),
}  # fmt: skip


def _triage_reasons(intervention: str, screen: Triage) -> list[Reason]:
    if screen.tier == EMERGENCY:
        why = "emergency triage: no treatment until medically assessed"
        return [Reason("CI-TRIAGE-EMERGENCY", CONTRAINDICATED, screen.tier, why, None, False)]
    why = "urgent referral: hold thrust and vigorous manual therapy"
    return [
        Reason("CI-TRIAGE-URGENT", verdict, screen.tier, why, mod, False)
        for name, verdict, mod in _TRIAGE_HOLDS.get(screen.tier, ())
        if name == intervention
    ]


def _label(fact: str) -> str:
    labels = {**vocab.RED_FLAGS, **vocab.CONDITIONS, **vocab.MEDICINES}
    extra = {
        "pregnant": "pregnancy",
        "peripheralises": "peripheralisation on repeated movement",
        "bp_over_180_110": "resting blood pressure over 180/110",
        "bp_over_160_100": "resting blood pressure over 160/100",
        "RF-FRACTURE": "suspected fracture (RF-FRACTURE)",
        "RF-CANCER": "cancer flags (RF-CANCER)",
    }
    return extra.get(fact) or labels.get(fact, fact)


def verdict_for(intervention: str, found: frozenset[str], screen: Triage) -> Verdict:
    reasons = _triage_reasons(intervention, screen)
    for rule in RULES:
        if intervention not in rule.interventions:
            continue
        reasons += [
            Reason(rule.rule_id, rule.verdict, _label(t), rule.why, rule.modification,
                   rule.heuristic)
            for t in rule.triggers
            if t in found
        ]  # fmt: skip
    verdicts = {r.verdict for r in reasons}
    overall = next((v for v in (CONTRAINDICATED, PRECAUTION) if v in verdicts), OK)
    return Verdict(intervention, overall, tuple(reasons))


def safety(case: Case, screen: Triage) -> tuple[Verdict, ...]:
    """A verdict for each intervention in vocab.INTERVENTIONS, in that order."""
    found = facts(case, screen)
    return tuple(verdict_for(name, found, screen) for name in vocab.INTERVENTIONS)
