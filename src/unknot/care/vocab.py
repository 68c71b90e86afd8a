"""Fixed vocabularies of the case: the stable keys an intake form and an evaluation fill in.

Keys are part of the product's data contract (stored in the database, sent by the API), so they
are never renamed; a new question gets a new key.
"""

from typing import Final

# Red-flag screening answers, grouped by the triage rule that reads them (see triage.py).
RED_FLAGS: Final[dict[str, str]] = {
    # RF-CES, cauda equina picture
    "saddle_anaesthesia": "numbness in the saddle area (between the legs, buttocks)",
    "bladder_dysfunction": "new bladder retention, incontinence or hesitancy",
    "bowel_dysfunction": "new bowel incontinence or change in bowel control",
    "sexual_dysfunction": "new sexual dysfunction",
    "bilateral_radicular_symptoms": "leg pain, numbness or weakness in both legs",
    # RF-NEURO and RF-MSCC
    "progressive_motor_deficit": "new or worsening weakness",
    "neuro_deficit": "any new neurological deficit (numbness, weakness, reflex change)",
    # RF-INFECTION
    "fever_or_unwell": "fever or feeling systemically unwell",
    "iv_drug_use": "intravenous drug use",
    "immunosuppression": "immunosuppressed (disease or medicine)",
    "recent_infection": "recent bacterial infection (e.g. urinary tract, skin)",
    "penetrating_wound": "penetrating wound near the spine",
    # RF-AAA
    "pulsatile_abdominal_mass": "pulsating mass in the abdomen",
    "collapse": "collapse or fainting with the pain",
    "tearing_pain": "tearing or ripping pain in the back or abdomen",
    "smoker": "current or former smoker",
    # RF-TRAUMA
    "major_trauma": "major trauma (road accident, fall from height)",
    "midline_pain": "pain or tenderness over the midline of the spine",
    # RF-CANCER
    "unexplained_weight_loss": "unexplained weight loss",
    "night_pain_persistent": "persistent pain at night, not eased by position",
    "no_improvement_4_weeks": "no improvement after 4 weeks of care",
    "non_mechanical_pain": "constant pain that does not change with movement or position",
    "pain_not_relieved_by_lying": "pain that is not eased by lying down",
    "night_pain": "pain that wakes the person at night",
    # RF-FRACTURE
    "minor_trauma": "minor trauma (e.g. a trip, a fall from standing, heavy lifting)",
    "sudden_severe_central_pain": "sudden, severe pain in the middle of the back, "
    "often eased by lying down",
    # RF-DVT
    "suspected_dvt": "calf swelling, warmth, redness or pain suggesting a clot",
    "thrombosis_risk": "a raised risk of a clot: long-haul travel or surgery in the last "
    "4 weeks, recent bed rest or a leg in a cast, or a previous clot",
    # RF-AXSPA, the five ASAS inflammatory back pain criteria
    "asas_onset_before_40": "back pain started before age 40",
    "asas_insidious_onset": "came on gradually, without an injury",
    "asas_better_with_exercise": "gets better with exercise",
    "asas_not_better_with_rest": "does not get better with rest",
    "asas_night_pain_improves_on_rising": "pain at night that improves on getting up",
}

CES_KEYS: Final = (
    "saddle_anaesthesia",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction",
    "bilateral_radicular_symptoms",
)
INFECTION_RISK_KEYS: Final = (
    "iv_drug_use",
    "immunosuppression",
    "recent_infection",
    "penetrating_wound",
)
ASAS_KEYS: Final = (
    "asas_onset_before_40",
    "asas_insidious_onset",
    "asas_better_with_exercise",
    "asas_not_better_with_rest",
    "asas_night_pain_improves_on_rising",
)

# SCREEN-1: the red-flag domains a complete screen has asked about, with the answers each one
# needs. A domain is asked only when every one of its questions has an answer (an unanswered
# question is unknown, never "no") and, where it says so, the health history (conditions,
# medicines) and the age are known. See screen.py.
DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "cauda_equina": CES_KEYS,
    "fracture": ("major_trauma", "midline_pain", "minor_trauma", "sudden_severe_central_pain"),
    "malignancy": (
        "unexplained_weight_loss",
        "night_pain_persistent",
        "no_improvement_4_weeks",
        "non_mechanical_pain",
        "pain_not_relieved_by_lying",
        "night_pain",
    ),
    "infection": ("fever_or_unwell", *INFECTION_RISK_KEYS),
    "vascular": (
        "pulsatile_abdominal_mass",
        "collapse",
        "tearing_pain",
        "smoker",
        "suspected_dvt",
        "thrombosis_risk",
    ),
    "inflammatory": ASAS_KEYS,
    "neurological": ("progressive_motor_deficit", "neuro_deficit"),
}
# What else a domain reads besides its questions: "history" = the conditions and medicines
# lists were asked (even if empty), "age" = the age is known.
DOMAIN_NEEDS: Final[dict[str, tuple[str, ...]]] = {
    "fracture": ("history", "age"),
    "malignancy": ("history",),
    "infection": ("history",),
    "vascular": ("history", "age"),
}

# Restrictions a physician can set when clearing a referral (SCREEN-2); each is a safety rule
# in safety.py (CLEAR-*), so later plans and visits keep to it.
RESTRICTIONS: Final[dict[str, str]] = {
    "no_thrust": "no thrust manipulation",
    "no_spinal_manual_therapy": "no spinal mobilization or manipulation",
    "light_pressure_only": "light pressure only in soft tissue work",
    "no_heat": "no heat",
    "no_loaded_exercise": "no exercise with added weights",
    "no_resistance_exercise": "no strengthening exercise",
    "no_spinal_flexion_or_twisting": "no loaded or end-range bending forward or twisting",
    "no_impact": "no impact (jumping, running)",
}

# Known health conditions relevant to safety. "In the area" means the lumbar region being treated.
# Keys keep their first (British) spelling, since they are stored; the words are US English.
CONDITIONS: Final[dict[str, str]] = {
    "cancer_history": "history of cancer",
    "malignancy_in_area": "known tumor or metastasis in the spine or low back",
    "recently_irradiated": "radiotherapy to the low back area in the last 6 months",
    "osteoporosis": "osteoporosis (not severe)",
    "osteopenia": "osteopenia (bone density lower than normal, not yet osteoporosis)",
    "osteoporosis_severe": "severe osteoporosis",
    "prior_fragility_fracture": "a previous broken bone from a fall from standing height or less",
    "spinal_fracture": "known spinal fracture that has not healed",
    "spinal_instability": "known spinal instability",
    "bleeding_disorder": "bleeding disorder (e.g. hemophilia)",
    "active_bleeding": "active bleeding",
    "dvt": "current deep vein thrombosis",
    "recent_embolism": "embolism in the last 3 months",
    "acute_thrombophlebitis": "acute thrombophlebitis",
    "raynauds": "Raynaud's phenomenon",
    "cold_urticaria": "cold urticaria or cold intolerance",
    "cryoglobulinaemia": "cryoglobulinemia",
    "paroxysmal_cold_haemoglobinuria": "paroxysmal cold hemoglobinuria",
    "peripheral_vascular_disease": "peripheral vascular disease in the area",
    "regenerating_nerve": "regenerating peripheral nerve in the area",
    "impaired_sensation": "impaired skin sensation in the area",
    "impaired_mentation": "impaired mentation or unable to report sensation",
    "infection": "active infection",
    "acute_inflammation": "acute inflammation in the area",
    "impaired_circulation": "impaired circulation in the area",
    "oedema": "edema in the area",
    "open_wound": "open wound in the area",
    "cardiac_insufficiency": "cardiac insufficiency",
    "unstable_cardiac_disease": "unstable cardiac disease",
    "hypertension": "hypertension",
    "unstable_aneurysm": "known unstable aortic aneurysm",
    "diabetes": "diabetes",
    "hypermobility": "generalized joint hypermobility",
}

MEDICINES: Final[dict[str, str]] = {
    "anticoagulant": "anticoagulant at a standard dose",
    "anticoagulant_high_dose": "anticoagulant at a high dose or with an unstable INR",
    "corticosteroid_long_term": "long-term oral corticosteroids (3 months or more)",
    "immunosuppressant": "immunosuppressant medicine",
}

CAUSES: Final = ("lifting", "fall", "exertion_without_hydration", "weak_abdominals", "unknown")
SEXES: Final = ("female", "male", "other", "unknown")
VISIT_KINDS: Final = ("initial", "follow_up", "re_evaluation")
WORK_DEMANDS: Final = ("desk", "manual", "driving", "other", "none")
ACTIVITY_LEVELS: Final = ("sedentary", "light", "moderate", "vigorous")
PAIN_SIDES: Final = ("central", "left", "right", "both")
DIRECTIONS: Final = (
    "extension",
    "flexion",
    "lateral_shift_left",
    "lateral_shift_right",
    "rotation",
)
RESPONSES: Final = ("centralises", "peripheralises", "no_effect")
IRRITABILITY: Final = ("low", "moderate", "high")
SYMPTOM_COURSE: Final = ("stable", "centralising", "peripheralising", "worsening")
SBST_ITEM9: Final = ("not_at_all", "slightly", "moderately", "very_much", "extremely")

INTERVENTIONS: Final = (
    "superficial_heat",
    "cold",
    "soft_tissue_massage",
    "thrust_manipulation",
    "non_thrust_mobilisation",
    "stretching",
    "resistance_exercise",
    "motor_control_exercise",
    "posture_movement_training",
    "education",
)
