"""Three invented courses of care for the demo: what each person told us, what their therapist
found and wrote, and how their weeks went. Days count back from the day the demo is loaded.

The answers are form data, exactly as the intake and evaluation pages post them, so the demo
goes through the same forms and services as a real person and a real therapist.
"""

from dataclasses import dataclass, field
from typing import Any

from unknot.records.intake import wording

DISCHARGED = "discharged"
ACTIVE_CARE = "active_care"
SYMPTOM_RELIEF = "symptom_relief"

ALL_CLEAR = dict.fromkeys([*wording.URGENT_FLAGS, *wording.OTHER_FLAGS], "no")


# Minutes a therapist typically gives each intervention in a visit; the services turn them into
# CPT units by the 8-minute rule. At most VISIT_INTERVENTIONS of the phase's list are given.
MINUTES = {
    "soft_tissue_massage": 12,
    "thrust_manipulation": 5,
    "non_thrust_mobilisation": 10,
    "superficial_heat": 10,
    "cold": 10,
    "stretching": 10,
    "motor_control_exercise": 20,
    "resistance_exercise": 25,
    "posture_movement_training": 12,
    "education": 8,
}
VISIT_INTERVENTIONS = 3


@dataclass(frozen=True)
class VisitNote:
    """One treatment visit: days after the evaluation, pain, and the SOAP note."""

    day: int
    nprs: int
    subjective: str
    objective: str
    assessment: str
    plan_text: str
    symptom_course: str = "stable"
    flare_24h: str = "no"
    odi: tuple[int, ...] = ()  # ten sections at a re-assessment visit
    psfs: tuple[int, ...] = ()  # scores of the intake's activities, same order
    peg: tuple[int, ...] = ()  # PEG's three items (pain, enjoyment of life, general activity)


@dataclass(frozen=True)
class Journey:
    patient: str  # demo username
    therapist: str
    stage: str
    evaluation_day: int  # days before the load day
    onset_days: int  # days between the first pain and the booking
    intake: dict[str, dict[str, Any]]  # intake page slug -> posted form data
    exam: dict[str, Any]  # evaluation form data, without the date
    visits: tuple[VisitNote, ...]
    home_doses: dict[str, str] = field(default_factory=dict)  # exercise key -> the dose
    # One character per day from the day after signing: d done, p partly, s skipped, - none.
    log_pattern: str = "dd-dpd-"
    log_notes: dict[int, str] = field(default_factory=dict)  # day index -> the note
    comment_week: int = 1  # weeks after signing
    comment: str = ""
    lessons_read: int = 2
    upcoming_visits: tuple[int, ...] = ()  # days after the load day, booked ahead


BRENNAN = Journey(
    patient="patient.brennan",
    therapist="tomas.lindqvist",
    stage=DISCHARGED,
    evaluation_day=60,
    onset_days=4,
    intake={
        "story": {
            "causes": ["exertion_without_hydration"],
            "story": "A double shift on the quay in the heat. I hardly drank anything. The next "
            "morning my lower back locked when I bent over the sink.",
        },
        "where": {"pain_side": "both", "below_knee": "no", "spasm": "yes"},
        "daily-life": {
            "triggers": "Bending forward, getting out of the forklift cab, the first hour of "
            "the morning.",
            "eases": "A hot shower and walking slowly.",
            "daily_life": "I can't play with my grandson on the floor or work a full shift.",
        },
        "work-and-goals": {
            "work": ["manual", "driving"],
            "activity_level": "moderate",
            "goal_1": "Work full shifts on the quay again",
            "goal_2": "Get down on the floor with my grandson",
            "home_minutes_per_day": "20",
            "visits_per_week": "2",
        },
        "health": {"pregnant": "na"},
        "safety": ALL_CLEAR,
        "more-safety": ALL_CLEAR,
        "start-back": {
            **{f"item_{n}": "disagree" for n in range(1, 9)},
            "item_1": "agree",
            "item_2": "agree",
            "item_3": "agree",
            "item_5": "agree",
            "item_9": "moderately",
        },
        "daily-activities": {
            f"section_{n}": str(v) for n, v in enumerate((3, 1, 3, 2, 2, 3, 2, 1, 2, 3), 1)
        },
        "pain-and-activities": {
            "nprs": "7",
            "activity_1": "Climbing into the forklift cab",
            "score_1": "3",
            "activity_2": "Lifting a crate of 20 kg",
            "score_2": "2",
            "activity_3": "Sitting on the floor with my grandson",
            "score_3": "3",
        },
        "pain-last-week": {f"peg_{n}": str(v) for n, v in enumerate((7, 6, 7), 1)},
        "beliefs": {f"item_{n}": str(v) for n, v in enumerate((4, 4, 3, 3, 2), 1)},
    },
    exam={
        "posture": "Stands with a slight forward lean; guarded, even weight through both feet.",
        "movement": "Flexion limited by pain at mid-shin; slow return to standing.",
        "triggers_discussed": "Long shifts without drinking, climbing in and out of the cab.",
        "spasm_location": "Both lumbar paraspinals, L3 to L5",
        "tenderness_location": "Paraspinals at L4-L5, more on the right",
        "severity": "6",
        "segment_levels": "L4-L5",
        "hypomobile_segment": "yes",
        "hip_ir_left": "36",
        "hip_ir_right": "37",
        "slr_left": "75",
        "slr_right": "78",
        "crossed_slr": "no",
        "neuro_deficit": "no",
        "neuro_screen": "Myotomes, dermatomes and reflexes L2-S1 normal on both sides.",
        "rm_extension": "centralises",
        "irritability": "moderate",
        "symptom_course": "stable",
        "rom_flexion": "40",
        "rom_extension": "15",
        "assessment": "Acute low back pain with spasm after exertion in the heat. No red flags. "
        "Responds to repeated extension. Good candidate for mobilisation and graded loading.",
    },
    visits=(
        VisitNote(
            3,
            6,
            "Slept a little better after the heat and the walking.",
            "Spasm less marked; flexion to the knee.",
            "Settling as expected.",
            "Mobilisation and extension exercises; keep walking daily.",
        ),
        VisitNote(
            7,
            5,
            "Managed a half shift on light duties.",
            "Less guarding when standing up.",
            "Steady progress.",
            "Add gentle trunk control work.",
            symptom_course="centralising",
        ),
        VisitNote(
            10,
            5,
            "Sore after a long drive, better by the evening.",
            "Flexion to mid-shin without a catch.",
            "Irritability now low.",
            "Continue; introduce hip hinge practice.",
        ),
        VisitNote(
            14,
            4,
            "Back on full shifts twice this week.",
            "Full flexion with mild end-range pull.",
            "Re-assessment: disability and function clearly better.",
            "Move on to active care: loaded lifting practice.",
            odi=(2, 0, 1, 1, 1, 1, 1, 0, 1, 1),
            psfs=(6, 6, 7),
            peg=(4, 3, 3),
        ),
        VisitNote(
            17,
            3,
            "Lifted crates with the hinge technique, no flare.",
            "Good hip hinge with 15 kg.",
            "Loading well.",
            "Progress the weight.",
        ),
        VisitNote(
            21,
            3,
            "A full week of shifts.",
            "Deadlift pattern with 20 kg, no pain.",
            "On track for the long-term goals.",
            "Two more visits, then discharge.",
        ),
        VisitNote(
            24,
            2,
            "Played on the floor with my grandson on Sunday.",
            "Carries 20 kg up a step without pain.",
            "Goals nearly met.",
            "Final check at the next visit.",
        ),
        VisitNote(
            28,
            1,
            "No spasms for ten days, working normally.",
            "Full, pain-free range.",
            "Final re-assessment: goals met. Ready for discharge with his home programme.",
            "Discharge; keep three sessions a week and the flare plan.",
            odi=(1, 0, 1, 0, 0, 1, 0, 0, 0, 1),
            psfs=(9, 8, 9),
            peg=(1, 1, 0),
        ),
    ),
    home_doses={"prone_press_up": "10 slow press-ups, 3 times a day"},
    log_pattern="dddpd-ddsddpd-dd-ddsdd-pdd-dd-dd",
    log_notes={
        1: "Stiff at first, easier by the last few.",
        7: "Long drive, only did half.",
        9: "Double shift, no time.",
        20: "Felt strong today.",
    },
    comment_week=1,
    comment="Great start, Owen. On the days you drive a lot, do the press-ups at your break: "
    "even half a session counts.",
    lessons_read=3,
)

ALVAREZ = Journey(
    patient="patient.alvarez",
    therapist="maya.okafor",
    stage=ACTIVE_CARE,
    evaluation_day=26,
    onset_days=6,
    intake={
        "story": {
            "causes": ["weak_abdominals"],
            "story": "It started during a busy month at work, sitting most of the day. I reached "
            "for a file and my back went into spasm.",
        },
        "where": {"pain_side": "left", "below_knee": "no", "spasm": "yes"},
        "daily-life": {
            "triggers": "Sitting for more than half an hour, getting up from the sofa.",
            "eases": "Lying on my back with my knees bent, short walks.",
            "daily_life": "I can't go to my dance class or sit through a film.",
        },
        "work-and-goals": {
            "work": ["desk"],
            "activity_level": "light",
            "goal_1": "Sit through a whole working day without spasms",
            "goal_2": "Go back to my Thursday dance class",
            "home_minutes_per_day": "15",
            "visits_per_week": "2",
        },
        "health": {"pregnant": "no"},
        "safety": ALL_CLEAR,
        "more-safety": ALL_CLEAR,
        "start-back": {
            **{f"item_{n}": "disagree" for n in range(1, 9)},
            "item_1": "agree",
            "item_4": "agree",
            "item_6": "agree",
            "item_9": "very_much",
        },
        "daily-activities": {
            f"section_{n}": str(v) for n, v in enumerate((3, 1, 2, 1, 3, 2, 2, 1, 2, 2), 1)
        },
        "pain-and-activities": {
            "nprs": "6",
            "activity_1": "Sitting through a meeting",
            "score_1": "3",
            "activity_2": "Dancing",
            "score_2": "1",
            "activity_3": "Carrying shopping bags",
            "score_3": "5",
        },
        "pain-last-week": {f"peg_{n}": str(v) for n, v in enumerate((6, 5, 6), 1)},
        "beliefs": {f"item_{n}": str(v) for n, v in enumerate((2, 4, 3, 3, 2), 1)},
    },
    exam={
        "posture": "Sits slumped; stands with a small shift to the right.",
        "movement": "Painful arc coming up from flexion; sit to stand with hands on the thighs.",
        "triggers_discussed": "Long meetings, a low sofa, reaching sideways at the desk.",
        "spasm_location": "Left lumbar paraspinals",
        "tenderness_location": "Left L4-L5 facet area",
        "severity": "5",
        "segment_levels": "L4-L5",
        "hypomobile_segment": "yes",
        "hip_ir_left": "38",
        "hip_ir_right": "34",
        "slr_left": "80",
        "slr_right": "85",
        "crossed_slr": "no",
        "aberrant_movement": "yes",
        "neuro_deficit": "no",
        "neuro_screen": "Normal strength, sensation and reflexes in both legs.",
        "rm_extension": "centralises",
        "irritability": "moderate",
        "symptom_course": "stable",
        "rom_flexion": "45",
        "rom_extension": "15",
        "assessment": "Acute low back pain with spasm, aberrant movement and weak trunk control "
        "after long sitting. No red flags. Manipulation rule and extension preference fit.",
    },
    visits=(
        VisitNote(
            3,
            5,
            "Less sharp since the last visit; the press-ups help.",
            "Spasm reduced on the left.",
            "Good early response.",
            "Continue the plan; walk at lunchtime.",
        ),
        VisitNote(
            7,
            5,
            "A long meeting on Tuesday was hard.",
            "Sit to stand without using hands.",
            "Steady.",
            "Add desk movement breaks.",
            symptom_course="centralising",
        ),
        VisitNote(
            10,
            4,
            "Managed a full day at the desk with breaks.",
            "Painful arc gone on flexion.",
            "Improving.",
            "Begin trunk control work.",
        ),
        VisitNote(
            14,
            3,
            "Went for a long walk at the weekend without trouble.",
            "Good control of the neutral spine in four-point kneeling.",
            "Re-assessment: clearly better than at the start. Ready for active care.",
            "Active care: strengthening and return to dance.",
            odi=(1, 0, 1, 0, 2, 1, 1, 0, 1, 1),
            psfs=(6, 5, 8),
            peg=(3, 3, 2),
        ),
        VisitNote(
            17,
            3,
            "Tried ten minutes of the dance class.",
            "Bridging with good control.",
            "Loading well.",
            "Progress the side plank.",
        ),
        VisitNote(
            21,
            2,
            "A full week at the desk with no spasms.",
            "Lifts a 10 kg box from the floor with good form.",
            "On track.",
            "Full dance class as the next step.",
        ),
    ),
    home_doses={"bird_dog": "8 each side, holding for 5 seconds, once a day"},
    log_pattern="ddpdd-dddsd-ddpddd-ddd-sdpddd-",
    log_notes={
        0: "The press-ups felt strange but helped.",
        9: "Late night at work, skipped.",
        15: "Did them before the dance class!",
    },
    comment_week=2,
    comment="Lovely steady week, Lucia. Keep the short breaks at your desk too: they count as "
    "much as the exercises.",
    lessons_read=2,
    upcoming_visits=(3, 7),
)

FARAH = Journey(
    patient="patient.farah",
    therapist="daniel.mbeki",
    stage=SYMPTOM_RELIEF,
    evaluation_day=13,
    onset_days=5,
    intake={
        "story": {
            "causes": ["unknown"],
            "story": "I woke up with it after a long day of deliveries. I don't remember doing "
            "anything special.",
        },
        "where": {"pain_side": "right", "below_knee": "no", "spasm": "yes"},
        "daily-life": {
            "triggers": "Getting in and out of the van, turning in bed.",
            "eases": "Heat pack, walking around the depot.",
            "daily_life": "I can't lift my daughter or do my full route.",
        },
        "work-and-goals": {
            "work": ["driving", "manual"],
            "activity_level": "light",
            "goal_1": "Do my full delivery route",
            "goal_2": "Lift my daughter onto my shoulders",
            "home_minutes_per_day": "10",
            "visits_per_week": "2",
        },
        "health": {"pregnant": "na"},
        "safety": ALL_CLEAR,
        "more-safety": ALL_CLEAR,
        "start-back": {
            **{f"item_{n}": "disagree" for n in range(1, 9)},
            "item_1": "agree",
            "item_2": "agree",
            "item_3": "agree",
            "item_4": "agree",
            "item_9": "moderately",
        },
        "daily-activities": {
            f"section_{n}": str(v) for n, v in enumerate((3, 2, 3, 2, 3, 2, 3, 1, 2, 3), 1)
        },
        "pain-and-activities": {
            "nprs": "7",
            "activity_1": "Getting in and out of the van",
            "score_1": "3",
            "activity_2": "Lifting parcels over 10 kg",
            "score_2": "2",
            "activity_3": "Lifting my daughter",
            "score_3": "2",
        },
        "pain-last-week": {f"peg_{n}": str(v) for n, v in enumerate((7, 7, 6), 1)},
        "beliefs": {f"item_{n}": str(v) for n, v in enumerate((3, 5, 4, 3, 3), 1)},
    },
    exam={
        "posture": "Antalgic lean to the left.",
        "movement": "Guarded; turns the whole trunk instead of rotating.",
        "triggers_discussed": "Climbing into the van, twisting to reach parcels on the seat.",
        "spasm_location": "Right lumbar paraspinals",
        "tenderness_location": "Right L5-S1",
        "severity": "7",
        "hypomobile_segment": "no",
        "hip_ir_left": "30",
        "hip_ir_right": "28",
        "slr_left": "70",
        "slr_right": "65",
        "crossed_slr": "no",
        "neuro_deficit": "no",
        "neuro_screen": "No neurological deficit.",
        "rm_extension": "centralises",
        "irritability": "high",
        "symptom_course": "stable",
        "rom_flexion": "30",
        "assessment": "Acute, irritable low back pain with spasm. No red flags. Calm things "
        "down first, then progress to active care.",
    },
    visits=(
        VisitNote(
            2,
            6,
            "The heat and the walks take the edge off.",
            "Lean to the left reduced.",
            "Calming down.",
            "Keep the heat and the press-ups.",
        ),
        VisitNote(
            5,
            6,
            "A rough day after a long route.",
            "Flexion to the knee.",
            "Irritable but no worse.",
            "Shorter route if possible this week.",
            symptom_course="centralising",
        ),
        VisitNote(
            9,
            5,
            "Slept through the night twice.",
            "Turns in bed more freely.",
            "Slowly improving; still in the symptom relief phase.",
            "Re-assess function at the next visit.",
            symptom_course="centralising",
            # Used only if the clinic re-assesses at every third visit or sooner.
            odi=(2, 1, 2, 2, 2, 2, 2, 1, 2, 2),
            psfs=(4, 4, 3),
            peg=(5, 5, 4),
        ),
    ),
    log_pattern="dpd-ddsdpd-",
    log_notes={1: "Only managed half, the van day was long."},
    comment_week=0,
    comment="A good first week, Yusuf. Half a session on a long van day is still worth doing.",
    lessons_read=1,
    upcoming_visits=(1, 4),
)

JOURNEYS: tuple[Journey, ...] = (BRENNAN, ALVAREZ, FARAH)
