"""The elements of each plan phase. Every element carries its rule id, grade and a reason.

Causes change the plan (CAUSE-*), STarT Back risk changes its intensity (SBST-*), and the safety
verdicts decide what may appear at all (a contraindicated intervention never does).
"""

from .context import PlanContext, treat
from .homeprog import directional_exercise
from .plan_model import Element

SEEDS = "clinic programme (seed pages): causes to ask about and act on"
ACP = "Qaseem et al., Ann Intern Med 2017 (ACP): moderate-quality evidence, acute/subacute"


def _manual(ctx: PlanContext) -> list[Element]:
    cpr = ctx.classification.manipulation_rule.result
    out = treat(ctx, "soft_tissue_massage",
                "Soft tissue work to the lumbar paraspinal muscles to release the spasm",
                "eases muscle guarding so the person can move; part of a package with exercise",
                "CPG-MASSAGE", "manual_therapy", "massage")  # fmt: skip
    if cpr == "positive" and ctx.clear("thrust_manipulation"):
        return out + treat(ctx, "thrust_manipulation",
                           "Lumbopelvic thrust manipulation, then range-of-motion exercise",
                           "manipulation prediction rule positive (4+ of 5): likely responder",
                           "CPR-POS", "manual_therapy", "manual")  # fmt: skip
    segment = ctx.case.exam.hypomobile_segment
    if segment is False and cpr != "positive":
        return out  # no stiff segment found: nothing for mobilisation to target
    why = "mobilises stiff segments to reduce pain; used with exercise, not alone"
    if cpr == "positive":
        why = "prediction rule positive but thrust is not clear to use (see safety): non-thrust"
    where = "the hypomobile lumbar segments" if segment else "the lumbar spine (segments to test)"
    return out + treat(ctx, "non_thrust_mobilisation", f"Non-thrust mobilisation of {where}",
                       why, "CPG-MANUAL", "manual_therapy", "manual")  # fmt: skip


def _thermal(ctx: PlanContext) -> list[Element]:
    """PLAN-THERMAL (heuristic): cold in the first 72 hours, heat after; switch to the other when
    the first choice is not clear to use; neither when both are contraindicated."""
    days = ctx.case.episode.duration_days
    order = ["cold", "superficial_heat"] if days is not None and days <= 3 else [
        "superficial_heat", "cold"]  # fmt: skip
    clear = [m for m in order if ctx.clear(m)]
    safe = [m for m in order if ctx.safe(m)]
    choice = (clear or safe or [""])[0]
    if choice == "superficial_heat":
        grade, source = ("moderate evidence", ACP) if ctx.chronic is False else (None, ACP)
        return [Element("Superficial heat (hot pack) over the low back, 15-20 minutes",
                        "heat brings blood flow and eases spasm before movement", "CPG-HEAT",
                        None, "superficial_heat", grade, source, True,
                        ctx.modification("superficial_heat"), "97010")]  # fmt: skip
    if choice == "cold":
        return [Element("Cold pack over the low back, 15-20 minutes",
                        "offered as a preference for an inflamed, recent spasm; no guideline "
                        "support, say so", "CPG-COLD", None, "cold", None,
                        "no guideline recommendation (George 2021 silent)", True,
                        ctx.modification("cold"), "97010")]  # fmt: skip
    return []


def _movement(ctx: PlanContext, phase: str) -> list[Element]:
    """TBC-DP: planned only with a safe exercise in the preferred direction for this phase,
    which the home programme then always carries (RULES section 3)."""
    dp = ctx.classification.directional_preference
    exercise = directional_exercise(ctx, phase) if dp.preferred else None
    if exercise is None:
        return []
    direction = exercise.direction.replace("_", " ")
    return treat(ctx, exercise.intervention,
                 f"Repeated {direction} movements, little and often ({exercise.name})",
                 "this direction centralized symptoms; stop anything that peripheralizes",
                 "TBC-DP", "therapeutic_exercise",
                 source="Fritz et al., JOSPT 2007 (directional preference)")  # fmt: skip


def _education(ctx: PlanContext) -> list[Element]:
    if ctx.chronic:
        out = treat(ctx, "education", "Pain neuroscience education alongside active care",
                    "chronic pain: explaining pain reduces threat and supports activity",
                    "CPG-PNE", "education", "education")  # fmt: skip
    else:
        out = treat(ctx, "education",
                    "Advice to stay active and pace activity; spasms are common and settle",
                    "staying active speeds recovery; reassurance lowers fear of movement",
                    "CPG-EDUCATION", "education", "education")  # fmt: skip
    if ctx.start_back_risk == "high":
        out += treat(ctx, "education",
                     "Psychologically informed approach: address fear, worry and low mood; "
                     "graded exposure to feared movements",
                     "STarT Back high risk: psychosocial factors drive disability",
                     "SBST-HIGH", "education",
                     source="Hill et al., Lancet 2011 (matched care)")  # fmt: skip
    if ctx.has_cause("exertion_without_hydration"):
        out += treat(ctx, "education",
                     "Hydration education: drink before, during and after exertion and in heat",
                     "spasm came on with exertion while dehydrated", "CAUSE-HYDRATION",
                     "education", source=SEEDS, heuristic=True)  # fmt: skip
    return out


def symptom_relief(ctx: PlanContext) -> list[Element]:
    out: list[Element] = []
    if ctx.has_cause("fall"):
        out.append(Element("Fracture screen first: midline tenderness, fragility factors, "
                           "pain on weight-bearing; no manual therapy or loading until clear",
                           "the spasm followed a fall", "CAUSE-FALL", None, None, None,
                           f"{SEEDS}; Downie et al., BMJ 2013"))  # fmt: skip
    return out + _manual(ctx) + _thermal(ctx) + _movement(ctx, "symptom_relief") + _education(ctx)


def _strength(ctx: PlanContext) -> list[Element]:
    out = treat(ctx, "resistance_exercise",
                "Progressive strengthening of trunk, hips and legs, body weight first",
                "stronger trunk and hip muscles are less prone to spasm", "CPG-EXERCISE",
                "therapeutic_exercise", "exercise")  # fmt: skip
    if ctx.has_cause("weak_abdominals"):
        out += treat(ctx, "resistance_exercise",
                     "Trunk strengthening emphasis: planks, side planks, anti-rotation work",
                     "weak or strained abdominal muscles were named as a cause",
                     "CAUSE-ABDO", "therapeutic_exercise", source=SEEDS,
                     heuristic=True)  # fmt: skip
    return out


def _motor(ctx: PlanContext) -> list[Element]:
    stab = ctx.classification.stabilisation_rule.result == "positive"
    why = (
        "stabilisation rule positive (3+ of 4): likely to respond"
        if stab
        else "trains the deep trunk muscles to steady the spine during movement"
    )
    return treat(ctx, "motor_control_exercise",
                 "Motor control training: bracing, bird dog, dead bug, progressing to standing",
                 why, "TBC-STAB" if stab else "CPG-EXERCISE", "therapeutic_exercise",
                 "exercise")  # fmt: skip


def _work(ctx: PlanContext) -> list[Element]:
    """PLAN-WORK (heuristic): posture and movement training aimed at the person's work."""
    aims = {
        "desk": "sitting set-up and movement breaks every 30-45 minutes",
        "driving": "seat set-up, lumbar support and a stop to move at least every 1-2 hours",
        "manual": "lifting, carrying and bending at work loads",
    }
    found = [aims[w] for w in ctx.case.lifestyle.work if w in aims]
    what = "Posture and movement training for the activities that trigger spasms"
    reason = "faulty posture and mechanics strain the back muscles and trigger spasms"
    if found:
        what += f": {'; '.join(found)}"
        reason += f"; work demands: {', '.join(ctx.case.lifestyle.work)}"
    return treat(ctx, "posture_movement_training", what, reason, "PLAN-WORK",
                 "posture_movement_training",
                 source="clinic programme (seed pages)", heuristic=True)  # fmt: skip


def active_care(ctx: PlanContext) -> list[Element]:
    out = treat(ctx, "stretching", "Stretching for the back, hips and hamstrings",
                "restores range of motion lost to spasm and guarding", "CPG-EXERCISE",
                "therapeutic_exercise", "exercise")  # fmt: skip
    out += _movement(ctx, "active_care") + _motor(ctx) + _strength(ctx) + _work(ctx)
    if ctx.has_cause("lifting"):
        out += treat(ctx, "posture_movement_training",
                     "Lifting mechanics (hip hinge, load close) and graded loading towards the "
                     "person's own loads", "the spasm came on with lifting", "CAUSE-LIFT",
                     "posture_movement_training", source=SEEDS, heuristic=True)  # fmt: skip
    manual = ("soft_tissue_massage", "non_thrust_mobilisation", "thrust_manipulation")
    if any(ctx.safe(m) for m in manual):
        out.append(Element("Manual therapy only as an adjunct to exercise from here on",
                           "NICE: manual therapy only within a package that includes exercise",
                           "CPG-NICE-PACKAGE", "manual_therapy", None, None,
                           "NICE NG59 (2016, updated 2020)"))  # fmt: skip
    return out


def return_to_activity(ctx: PlanContext) -> list[Element]:
    out = treat(ctx, "resistance_exercise",
                "Loaded weight-training programme: squat, hip hinge / deadlift, carries and "
                "the person's own demanding tasks, 2-3 days a week; add load in small steps "
                "once the top of the repetition range is reached with good form in two "
                "sessions running, with no flare over 24 h",
                "builds capacity above daily demands so spasms are less likely to return",
                "CPG-EXERCISE", "therapeutic_exercise", "exercise")  # fmt: skip
    goals = ctx.case.lifestyle.goals
    level = ctx.case.lifestyle.activity_level
    target = ", ".join(goals) if goals else "usual work, home and leisure activities"
    out += treat(ctx, "posture_movement_training", f"Graded return to: {target}",
                 f"the person's goals; activity level {level or 'not recorded'}", "PLAN-GOALS",
                 "posture_movement_training", source="clinic programme (seed pages)",
                 heuristic=True)  # fmt: skip
    out += treat(ctx, "education",
                 "Prevention education: spot own spasm triggers, warm up before exertion, keep "
                 "moving, a written flare plan",
                 "prevents recurrence in everyday activities", "EDU-PREVENT", "education",
                 source="clinic programme (seed pages)", heuristic=True)  # fmt: skip
    return out
