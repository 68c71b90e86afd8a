"""What the person reads: plain words for the care core's keys and for the red-flag questions.

The keys come from `unknot.care.vocab`; only the wording lives here. Tests check that every
key of the core has words here, so a new key in the core cannot be silently left unasked.
"""

from typing import Final

CAUSES: Final[dict[str, str]] = {
    "lifting": "Lifting, carrying or moving something",
    "fall": "A fall or a trip",
    "exertion_without_hydration": "Hard physical effort without drinking enough "
    "(for example sport or heat)",
    "weak_abdominals": "Weak or strained stomach muscles",
    "unknown": "I don't know, it just started",
}

PAIN_SIDES: Final[dict[str, str]] = {
    "central": "In the middle of my lower back",
    "left": "Mostly on the left",
    "right": "Mostly on the right",
    "both": "On both sides",
}

WORK_DEMANDS: Final[dict[str, str]] = {
    "desk": "Sitting at a desk or a computer",
    "manual": "Physical work: lifting, carrying, standing for long",
    "driving": "Driving",
    "other": "Another kind of work",
    "none": "I am not working at the moment",
}

ACTIVITY_LEVELS: Final[dict[str, str]] = {
    "sedentary": "Mostly sitting, little exercise",
    "light": "Light: walking, housework, gardening",
    "moderate": "Moderate: exercise a few times a week",
    "vigorous": "Very active: hard exercise or sport most days",
}

# Red-flag questions, asked about how things are now. Grouped in two pages: signs that can
# need a doctor the same day first, then the ones that matter for safety over the coming weeks.
URGENT_FLAGS: Final[dict[str, str]] = {
    "saddle_anaesthesia": "Is the skin between your legs or around your bottom numb or tingling "
    "(where you would sit on a bicycle saddle)?",
    "bladder_dysfunction": "Since the pain started, have you had new trouble passing urine, "
    "or leaked urine without meaning to?",
    "bowel_dysfunction": "Since the pain started, have you lost control of your bowels, "
    "or not felt when you need to go?",
    "sexual_dysfunction": "Since the pain started, have you noticed new problems with sexual "
    "feeling or function?",
    "bilateral_radicular_symptoms": "Do you have pain, numbness or weakness going down both legs?",
    "progressive_motor_deficit": "Is a leg weak in a way that is new and getting worse "
    "(for example your foot drags or your knee gives way)?",
    "neuro_deficit": "Do you have new numbness, pins and needles or weakness anywhere in "
    "your legs?",
    "fever_or_unwell": "Do you have a fever, or feel very unwell (hot, shivery, sick) "
    "as well as the back pain?",
    "iv_drug_use": "Have you ever injected drugs? We ask everyone: it helps us spot a rare "
    "infection.",
    "immunosuppression": "Is your immune system weakened by an illness or by a treatment "
    "(for example chemotherapy or steroid tablets)?",
    "recent_infection": "Have you had an infection in the last few weeks, for example of the "
    "bladder or the skin?",
    "penetrating_wound": "Have you had a wound near your spine that went deep, "
    "for example a cut, a stab or a bite?",
    "pulsatile_abdominal_mass": "Can you feel a lump in your belly that beats like a pulse?",
    "collapse": "Have you fainted or collapsed with this pain?",
    "tearing_pain": "Does the pain feel like tearing or ripping, in your back or your belly?",
    "major_trauma": "Did the pain start after a serious accident, for example a car crash or a "
    "fall from a height?",
    "midline_pain": "Does it hurt when you or someone presses on the bony bumps down the middle "
    "of your back?",
}

OTHER_FLAGS: Final[dict[str, str]] = {
    "smoker": "Do you smoke, or did you smoke in the past?",
    "unexplained_weight_loss": "Have you lost weight recently without trying?",
    "night_pain_persistent": "Do you have pain at night that does not ease however you lie?",
    "no_improvement_4_weeks": "Have you already had 4 weeks or more of care for this pain "
    "without it getting better?",
    "night_pain": "Does the pain wake you up at night?",
    "non_mechanical_pain": "Is the pain there all the time and just as strong whatever you do, "
    "however you move, sit or stand?",
    "pain_not_relieved_by_lying": "When you lie down to rest, does the pain stay just as bad?",
    "minor_trauma": "Did it start after a smaller knock, for example a trip, a fall from standing "
    "or lifting something heavy?",
    "sudden_severe_central_pain": "Did a sudden, severe pain start in the middle of your back, "
    "along the spine?",
    "suspected_dvt": "Is one calf swollen, warm, red or painful?",
    "thrombosis_risk": "In the last 4 weeks, have you had an operation, a long trip sitting for "
    "4 hours or more, days in bed, or a leg in a cast? Or have you ever had a blood clot?",
    "asas_onset_before_40": "Did you first have back pain before you were 40?",
    "asas_insidious_onset": "Did this back pain come on slowly, without an injury?",
    "asas_better_with_exercise": "Does the pain get better when you exercise?",
    "asas_not_better_with_rest": "Does the pain stay the same or get worse when you rest?",
    "asas_night_pain_improves_on_rising": "Does pain wake you in the second half of the night "
    "and ease once you get up?",
}

# The health conditions in the person's own words, where the care core's description
# (vocab.CONDITIONS, written for clinicians) reads too clinical or is not in US English.
# Any condition not listed here is shown with the core's words.
CONDITIONS: Final[dict[str, str]] = {
    "malignancy_in_area": "A known tumor or cancer spread (metastasis) in the spine or lower back",
    "osteopenia": "Osteopenia: bones thinner than normal, but not yet osteoporosis",
    "prior_fragility_fracture": "A broken bone from a fall from standing height or less "
    "(for example a wrist broken in a trip)",
    "bleeding_disorder": "A bleeding disorder (for example hemophilia)",
    "cryoglobulinaemia": "Cryoglobulinemia",
    "paroxysmal_cold_haemoglobinuria": "Paroxysmal cold hemoglobinuria",
    "oedema": "Swelling (edema) in the area",
    "diabetes": "Diabetes (type 1 or type 2)",
    "hypermobility": "Very flexible joints all over the body (joint hypermobility)",
}

PREGNANT_CHOICES: Final = [("no", "No"), ("yes", "Yes"), ("na", "Does not apply to me")]
YES_NO: Final = [("yes", "Yes"), ("no", "No")]
YES_NO_UNSURE: Final = [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")]


def condition(key: str, core_words: str) -> str:
    """A condition as the person reads it: our own words where we have them, else the core's."""
    return CONDITIONS.get(key) or sentence(core_words)


def sentence(text: str) -> str:
    """The core's descriptions start in lower case; a checkbox label reads better capitalised."""
    return text[:1].upper() + text[1:]
