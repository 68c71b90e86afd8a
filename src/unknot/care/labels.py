"""Labels for people: every key the core returns has words here, so pages, emails and PDFs show
"Active care", never `active_care`. One home: the web app, the API docs and the PDFs read these.

Staff labels use clinical words; patient-facing wording lives with the patient pages.
"""

from typing import Final

from . import instruments, vocab
from .instruments import odi, start_back

TIER_LABELS: Final[dict[str, str]] = {
    "EMERGENCY_SAME_DAY": "Emergency: same day",
    "URGENT_REFERRAL": "Urgent referral",
    "ROUTINE_REFERRAL": "Routine referral",
    "SCREENING_INCOMPLETE": "Screening incomplete",
    "MONITOR": "Monitor",
    "NONE": "No red flags",
}

VERDICT_LABELS: Final[dict[str, str]] = {
    "contraindicated": "Contraindicated",
    "relative": "Not until cleared (relative contraindication)",
    "precaution": "Precaution",
    "ok": "OK to use",
}

SCOPE_LABELS: Final[dict[str, str]] = {
    "local": "over the lumbar spine",
    "general": "anywhere",
}

DOMAIN_LABELS: Final[dict[str, str]] = {
    "cauda_equina": "Cauda equina",
    "fracture": "Fracture",
    "malignancy": "Malignancy",
    "infection": "Infection",
    "vascular": "Vascular (aneurysm, blood clot)",
    "inflammatory": "Inflammatory back pain",
    "neurological": "Neurological deficit",
}

RULE_LABELS: Final[dict[str, str]] = {
    "RF-CES": "possible cauda equina syndrome",
    "RF-NEURO": "new or worsening weakness",
    "RF-INFECTION": "possible spinal infection",
    "RF-AAA": "possible aortic aneurysm",
    "RF-TRAUMA": "major trauma with midline pain",
    "RF-MSCC": "possible spinal cord compression",
    "RF-FRACTURE-NEURO": "possible fracture with neurological signs",
    "RF-FRACTURE": "possible vertebral fracture",
    "RF-CANCER": "possible spinal malignancy",
    "RF-NONMECH": "constant, non-mechanical pain",
    "RF-DVT": "possible blood clot",
    "RF-DVT-RISK": "raised risk of a blood clot",
    "RF-AXSPA": "possible inflammatory back pain",
    "RF-AGE": "age (a weak flag)",
}

DOMAIN_STATUS_LABELS: Final[dict[str, str]] = {
    "not_asked": "Not asked",
    "clear": "Asked and clear",
    "flagged": "Flagged",
}

PHASE_LABELS: Final[dict[str, str]] = {
    "symptom_relief": "Symptom relief (passive care first)",
    "active_care": "Active care",
    "return_to_activity": "Return to full activity",
}

PLAN_STATUS_LABELS: Final[dict[str, str]] = {
    "planned": "Planned",
    "provisional": "Provisional: screening incomplete",
    "on_hold": "On hold: awaiting medical clearance",
    "withheld": "Withheld: emergency",
}

INTERVENTION_LABELS: Final[dict[str, str]] = {
    "superficial_heat": "Superficial heat (hot pack)",
    "cold": "Cold pack",
    "soft_tissue_massage": "Soft tissue massage",
    "thrust_manipulation": "Thrust manipulation",
    "non_thrust_mobilisation": "Non-thrust mobilization",
    "stretching": "Stretching",
    "resistance_exercise": "Resistance (strengthening) exercise",
    "motor_control_exercise": "Motor control exercise",
    "posture_movement_training": "Posture and movement training",
    "education": "Education",
}

PILLAR_LABELS: Final[dict[str, str]] = {
    "manual_therapy": "Manual therapy",
    "therapeutic_exercise": "Therapeutic exercise",
    "posture_movement_training": "Posture and movement training",
    "education": "Education",
}

# Every stored measure and every questionnaire by its key (care.instruments).
MEASURE_LABELS: Final[dict[str, str]] = {m.key: m.label for m in instruments.MEASURES} | {
    i.key: i.label for i in instruments.REGISTRY
}

CHANGE_LABELS: Final[dict[str, str]] = {
    "improved": "Improved",
    "unchanged": "No meaningful change",
    "worse": "Worse",
}

RISK_LABELS: Final[dict[str, str]] = start_back.RISK_LABELS

ODI_BAND_LABELS: Final[dict[str, str]] = odi.BAND_LABELS

DIRECTION_LABELS: Final[dict[str, str]] = {
    "extension": "extension",
    "flexion": "flexion",
    "lateral_shift_left": "side glide to the left",
    "lateral_shift_right": "side glide to the right",
    "rotation": "rotation",
}

RESPONSE_LABELS: Final[dict[str, str]] = {
    "centralises": "centralizes",
    "peripheralises": "peripheralizes",
    "no_effect": "no effect",
}

SYMPTOM_COURSE_LABELS: Final[dict[str, str]] = {
    "stable": "stable",
    "centralising": "centralizing",
    "peripheralising": "peripheralizing",
    "worsening": "worsening",
}

RESTRICTION_LABELS: Final[dict[str, str]] = {
    key: text[:1].upper() + text[1:] for key, text in vocab.RESTRICTIONS.items()
}

# Findings the core derives (facts.py, triage.py) that are not vocabulary keys.
_DERIVED: Final[dict[str, str]] = {
    "pregnant": "pregnancy",
    "pregnant_20_weeks_plus": "pregnancy from 20 weeks",
    "postpartum": "the months after giving birth",
    "low_bone_density": "low bone density (osteopenia or osteoporosis)",
    "peripheralises": "peripheralization on repeated movement",
    "bp_over_180_110": "resting blood pressure over 180/110",
    "bp_over_160_100": "resting blood pressure over 160/100",
    "age_over_60": "age over 60",
    "age_over_50": "age over 50",
    "fracture_age": "older age",
    "fall": "a fall",
    "lifting": "a lifting strain",
    "screening_incomplete": "red-flag screen not complete",
    "awaiting_clearance": "awaiting medical clearance after a referral",
    "RF-FRACTURE": "suspected fracture",
    "RF-CANCER": "suspected malignancy (cancer flags)",
    "RF-AXSPA": "suspected inflammatory back pain",
    "RF-DVT": "suspected blood clot",
}


def fact_label(key: str) -> str:
    """Words for any fact key: a red flag, condition, medicine, restriction or derived one."""
    if key.startswith("peripheralises:"):
        direction = key.partition(":")[2]
        return f"{DIRECTION_LABELS.get(direction, direction)} peripheralizes symptoms"
    if key.startswith("restriction:"):
        return f"physician's restriction: {vocab.RESTRICTIONS.get(key[12:], key[12:])}"
    words = {**vocab.RED_FLAGS, **vocab.CONDITIONS, **vocab.MEDICINES, **_DERIVED}
    return words.get(key, key.replace("_", " "))


def label(table: dict[str, str], key: str | None, missing: str = "not recorded") -> str:
    """A key's words from one of the tables above; `missing` for None or an empty key."""
    if not key:
        return missing
    return table.get(key, key.replace("_", " "))
