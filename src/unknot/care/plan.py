"""The treatment plan: phases, pillars, intensity, visits, home programme and codes.

Passive care first to get the person well enough for active care, then a return to full
activity (clinic programme, RULES section 5). Emergency triage withholds the whole plan.
"""

import math

from . import elements
from .codes import CPT_LABELS, Code, diagnosis_codes, evaluation_code
from .context import PlanContext
from .homeprog import home_programme
from .labels import DOMAIN_LABELS
from .plan_model import PILLARS, Held, Intensity, Phase, Pillar, Plan, Visits
from .progression import ProgressionSuggestion
from .safety import CONTRAINDICATED, RELATIVE
from .triage import EMERGENCY, ROUTINE, URGENT

WITHHELD = (
    "No treatment plan and no home exercises: emergency triage. Send the person to an emergency "
    "department now and tell the staff on duty."
)
MESSAGES = {
    "planned": "Plan of care: passive care first, then active care, then return to activity.",
    "provisional": "Provisional plan: the red-flag screen is not complete ({domains}). No "
    "thrust, no heat or deep pressure over the spine and no loaded exercise until every domain "
    "has been asked, in the intake or in person.",
    "on_hold": "On hold: awaiting a medical clearance after a referral. Record findings and "
    "give education only; nothing else is planned until the clearance is recorded.",
}
_STAGE_PHASE = {
    "symptom_modulation": "symptom_relief",
    "movement_control": "active_care",
    "function_optimisation": "return_to_activity",
}
_PHASES = (
    ("symptom_relief", "Symptom relief (passive care first)",
     "calm the spasm and pain enough to start active care", elements.symptom_relief,
     ("PROG-1 (heuristic): NPRS improved by at least 2 points or 3 or less",
      "ODI improved by at least 10 points or one band",
      "symptoms stable or centralizing",
      "no flare over 24 h from the current exercise dose"), "PROG-1"),
    ("active_care", "Active care", "restore movement, control and strength",
     elements.active_care,
     ("PROG-2 (heuristic): pain with activity {s.prog2_nprs_max:g} or less (NPRS)",
      "ODI {s.prog2_odi_max:g}% or less, or every PSFS activity at {s.prog2_psfs_min:g}/10 "
      "or more",
      "the current loads tolerated for {s.prog2_tolerated_weeks} weeks with no flare over 24 h",
      "the person's goals call for it (work, sport, lifting at home)"), "PROG-2"),
    ("return_to_activity", "Return to full activity",
     "build capacity for work, home and sport; prevent recurrence", elements.return_to_activity,
     ("PLAN-DISCHARGE (heuristic): goals met or PSFS activities at 8 or more",
      "independent with the home programme and a flare plan",
      "back to usual work and activity"), "PLAN-DISCHARGE"),
)  # fmt: skip
_VISITS = {"low": (1, 2), "medium": (2, 4), "high": (2, 6), None: (2, 4)}


def current_phase(ctx: PlanContext, progress: ProgressionSuggestion | None) -> str:
    """The phase the person is in now: the plan's phase at the last time point (else the TBC
    stage), moved on when PROG-1 or PROG-2 says ready for the next one."""
    previous = ctx.case.previous.phase if ctx.case.previous else None
    phase = previous or _STAGE_PHASE.get(ctx.classification.stage.stage or "", "symptom_relief")
    if progress and progress.ready and progress.next_phase and progress.phase == phase:
        return progress.next_phase
    return phase


def intensity(ctx: PlanContext) -> Intensity:
    risk = ctx.start_back_risk
    approaches = {
        "low": ("advice, reassurance and self-management; few visits", "SBST-LOW"),
        "medium": ("standard physical therapy", "SBST-MEDIUM"),
        "high": ("psychologically informed physical therapy", "SBST-HIGH"),
    }
    if risk is None:
        return Intensity(None, "standard physical therapy", "SBST-UNKNOWN",
                         "STarT Back not scored: standard intensity until it is")  # fmt: skip
    approach, rule = approaches[risk]
    where = f", recorded elsewhere ({ctx.start_back_source})" if ctx.start_back_source else ""
    return Intensity(risk, approach, rule,
                     f"STarT Back {risk} risk{where} (Hill et al., Lancet 2011)")  # fmt: skip


def visits(ctx: PlanContext) -> Visits:
    """PLAN-FREQ (heuristic): by STarT Back risk, fitted to the visits a week possible."""
    per_week, weeks = _VISITS[ctx.start_back_risk]
    total = per_week * weeks
    reason = f"STarT Back {ctx.start_back_risk or 'not scored'}: {per_week}/week for {weeks} weeks"
    can = ctx.case.lifestyle.visits_per_week
    if can == 0:
        return Visits(None, None, None, "the person cannot attend: home programme with remote "
                      "review, or agree a later start")  # fmt: skip
    if can is not None and can < per_week:
        per_week, weeks = can, math.ceil(total / can)
        reason += f"; fitted to {can}/week available"
    if ctx.triage.tier == URGENT:
        reason += "; book only the next visit until the physician has replied"
    return Visits(per_week, weeks, per_week * weeks, reason)


def _pillars(phases: tuple[Phase, ...], held: tuple[Held, ...]) -> tuple[Pillar, ...]:
    planned = {e.pillar for p in phases for e in p.elements if e.intervention}
    why_not = "; ".join(f"{h.intervention}: {h.reason}" for h in held) or "not indicated"
    return tuple(
        Pillar(name, name in planned, "planned" if name in planned else f"held ({why_not})")
        for name in PILLARS
    )


def _held(ctx: PlanContext) -> tuple[Held, ...]:
    """Contraindicated and not-until-cleared interventions, with the findings that hold them."""
    out = []
    for name, verdict in ctx.verdicts.items():
        if verdict.verdict not in (CONTRAINDICATED, RELATIVE):
            continue
        why = [r for r in verdict.reasons if r.verdict == verdict.verdict]
        rule_ids = tuple(dict.fromkeys(r.rule_id for r in why))
        reason = "; ".join(dict.fromkeys(r.finding for r in why))
        out.append(Held(name, rule_ids, reason, verdict.verdict))
    return tuple(out)


def plan_status(ctx: PlanContext) -> tuple[str, str]:
    """(status, message): on hold after a referral, provisional on an incomplete screen."""
    if ctx.triage.on_hold:
        return "on_hold", MESSAGES["on_hold"]
    screen = ctx.triage.screen
    if not screen.complete:
        domains = ", ".join(DOMAIN_LABELS[d].lower() for d in screen.open_domains)
        return "provisional", MESSAGES["provisional"].format(domains=domains)
    return "planned", MESSAGES["planned"]


def _complexity(ctx: PlanContext) -> str:
    """Evaluation complexity (heuristic): personal factors and comorbidities, STarT Back risk."""
    factors = len(ctx.case.conditions) + len(ctx.case.medicines) + int(ctx.case.patient.pregnant)
    if factors >= 3 or ctx.start_back_risk == "high":
        return "high"
    return "moderate" if factors or ctx.start_back_risk == "medium" else "low"


def _procedures(ctx: PlanContext, phases: tuple[Phase, ...]) -> tuple[Code, ...]:
    evaluation = evaluation_code(ctx.case, _complexity(ctx))
    used: dict[str, list[str]] = {}
    for element in (e for p in phases for e in p.elements if e.cpt and e.intervention):
        used.setdefault(element.cpt or "", []).append(element.intervention or "")
    codes = [Code("CPT", c, CPT_LABELS[c], ", ".join(dict.fromkeys(i)))
             for c, i in sorted(used.items())]  # fmt: skip
    return ((evaluation,) if evaluation else ()) + tuple(codes)


def _notes(ctx: PlanContext) -> tuple[str, ...]:
    notes = ["CPG-NICE-NOT: traction, belts or corsets, TENS and ultrasound are not offered "
             "(NICE NG59)"]  # fmt: skip
    if ctx.classification.traction_conflict:
        notes.append(f"TBC-TRACTION: {ctx.classification.traction_conflict}")
    cpr = ctx.classification.manipulation_rule.result == "positive"
    if cpr and not ctx.clear("thrust_manipulation"):
        notes.append("CPR-POS: the prediction rule is positive but never overrides a "
                     "contraindication or precaution: thrust not planned")  # fmt: skip
    if ctx.triage.tier == URGENT:
        notes.append("urgent referral: this plan holds only what is safe until the physician "
                     "has replied")  # fmt: skip
    if ctx.triage.tier == ROUTINE:
        notes.append("routine rheumatology referral: exercise continues meanwhile")
    if ctx.chronic is None:
        notes.append("episode duration not recorded: guideline grades not shown")
    return tuple(notes)


def build_plan(ctx: PlanContext, progress: ProgressionSuggestion | None = None) -> Plan:
    if ctx.triage.tier == EMERGENCY:
        return Plan(status="withheld", message=WITHHELD)
    now = current_phase(ctx, progress)
    phases = tuple(
        Phase(key, title, goal, tuple(build(ctx)),
              tuple(m.format(s=ctx.settings) for m in move_on), rule, key == now)
        for key, title, goal, build, move_on, rule in _PHASES
    )  # fmt: skip
    held = _held(ctx)
    status, message = plan_status(ctx)
    return Plan(
        status=status,
        message=message,
        assessment_focus=_assessment_focus(ctx),
        intensity=intensity(ctx),
        current_phase=now,
        phases=phases,
        pillars=_pillars(phases, held),
        held=held,
        visits=visits(ctx),
        home_programme=home_programme(ctx, now),
        diagnosis_codes=diagnosis_codes(ctx.case),
        procedure_codes=_procedures(ctx, phases),
        notes=_notes(ctx),
    )


def _assessment_focus(ctx: PlanContext) -> tuple[str, ...]:
    """PLAN-ASSESS: what the hands-on assessment looks at (clinic programme)."""
    focus = ["posture", "movement mechanics", "activities that trigger spasms", "hands-on exam"]
    focus += [f"work demands: {w}" for w in ctx.case.lifestyle.work if w not in ("other", "none")]
    return tuple(focus)
