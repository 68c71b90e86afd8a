"""The facts every rule reads, worked out once from a case: one home for derived findings.

A fact is a key: a red flag answered yes, a condition, a medicine, or a finding derived here
(a blood pressure band, bone density from a T-score, pregnancy stage, postpartum weeks, a
direction that peripheralises). Derived facts form chains from milder to more severe so that
a more severe finding always carries the milder one too ("osteoporosis" implies "low bone
density"): a rule written for the milder fact then also fires for the more severe one, and
adding a risk factor can never make a verdict less cautious.
"""

from .model import Case
from .settings import Settings

# WHO bone density bands (DXA T-score): osteoporosis at or below -2.5, osteopenia below -1.
T_SCORE_OSTEOPOROSIS = -2.5
T_SCORE_OSTEOPENIA = -1.0
# ACOG Committee Opinion 804 (2020): avoid lying flat on the back for long from 20 weeks.
PREGNANCY_SUPINE_WEEKS = 20


def blood_pressure_facts(case: Case) -> set[str]:
    bp = case.blood_pressure
    if bp is None:
        return set()
    found = set()
    if bp.systolic > 180 or bp.diastolic > 110:
        found |= {"bp_over_180_110", "bp_over_160_100"}
    elif bp.systolic > 160 or bp.diastolic > 100:
        found.add("bp_over_160_100")
    if bp.systolic >= 140 or bp.diastolic >= 90:
        found.add("hypertension")
    return found


def bone_facts(case: Case) -> set[str]:
    """Severe osteoporosis > osteoporosis > low bone density, from conditions or the T-score.

    A previous fragility fracture is a clinical diagnosis of osteoporosis; with a T-score at
    or below -2.5 it is severe (established) osteoporosis (WHO).
    """
    found = set(case.conditions) & {"osteoporosis", "osteoporosis_severe", "osteopenia",
                                    "prior_fragility_fracture"}  # fmt: skip
    t = case.patient.bone_density_t_score
    if t is not None and t <= T_SCORE_OSTEOPOROSIS:
        found.add("osteoporosis")
        if "prior_fragility_fracture" in found:
            found.add("osteoporosis_severe")
    if "prior_fragility_fracture" in found or "osteoporosis_severe" in found:
        found.add("osteoporosis")
    if found or (t is not None and t < T_SCORE_OSTEOPENIA):
        found.add("low_bone_density")
    return found


def pregnancy_facts(case: Case, settings: Settings) -> set[str]:
    found = set()
    patient = case.patient
    if patient.pregnant:
        found.add("pregnant")
        weeks = patient.pregnancy_weeks
        if weeks is None or weeks >= PREGNANCY_SUPINE_WEEKS:  # unknown weeks: the later stage
            found.add("pregnant_20_weeks_plus")
    after = patient.postpartum_weeks
    if after is not None and after <= settings.postpartum_caution_weeks:
        found.add("postpartum")
    if after is not None and after <= settings.postpartum_thrombosis_weeks:
        found.add("thrombosis_risk")
    return found


def movement_facts(case: Case) -> set[str]:
    away = case.exam.directions("peripheralises")
    return ({"peripheralises"} if away else set()) | {f"peripheralises:{d}" for d in away}


def care_history_facts(case: Case, settings: Settings) -> set[str]:
    """RF-CANCER's "no improvement after 4 weeks of care", from the care already received:
    4 weeks or more, and pain not down by the meaningful change since the earlier score."""
    weeks, before, now = case.episode.care_weeks, case.previous, case.questionnaires.nprs
    if weeks is None or weeks < 4 or before is None or before.nprs is None or now is None:
        return set()
    return {"no_improvement_4_weeks"} if before.nprs - now < settings.nprs_mcid else set()


def case_facts(case: Case, settings: Settings) -> frozenset[str]:
    """Everything about the person the triage and safety rules can read (not the triage)."""
    found = set(case.conditions) | set(case.medicines) | set(case.red_flags.positive)
    if case.exam.neuro_deficit:
        found.add("neuro_deficit")
    found |= blood_pressure_facts(case) | bone_facts(case) | pregnancy_facts(case, settings)
    return frozenset(found | movement_facts(case) | care_history_facts(case, settings))
