"""PLAN-HEP (heuristic): pick the home programme from the library, sized to the time available.

Safe first (each exercise's own verdict is ok or a precaution, nothing in a direction that
peripheralises), then by fit: the directional preference, the causes and work demands, the
library's own priority. At most two per category and six in all, for adherence. When the
directional-preference element is planned, its exercise is always in the programme, whatever
the minutes available (RULES section 3); in the return-to-activity phase the loaded weight
training leads.
"""

from .context import PlanContext
from .library import Exercise, exercise_library
from .plan_model import HomeExercise, HomeProgramme

DEFAULT_MINUTES = 10
MAX_EXERCISES = 6
MAX_PER_CATEGORY = 2


def _allowed(ctx: PlanContext, ex: Exercise, phase: str) -> bool:
    if phase not in ex.phases or not ctx.safe(ex.intervention) or not ctx.exercise_safe(ex.id):
        return False
    dp = ctx.classification.directional_preference
    if ex.direction in dp.avoid:
        return False
    # With a preferred direction, repeated movements go that way only (McKenzie).
    off_preference = ex.directional and bool(dp.preferred)
    if off_preference or "needs_preference" in ex.tags:
        return ex.direction in dp.preferred
    return True


def _rank(ctx: PlanContext, ex: Exercise, phase: str) -> tuple[int, str]:
    wanted = set(ctx.case.episode.causes) | set(ctx.case.lifestyle.work)
    if phase == "symptom_relief":
        wanted.add("spasm_relief")
    score = ex.priority - len(wanted & set(ex.tags))
    if ex.direction in ctx.classification.directional_preference.preferred:
        score -= 2
    if phase == "return_to_activity" and ex.category == "loaded_strength":
        score -= 1  # the seeds' weight-training programme is what this phase is for
    return score, ex.id


def candidates(ctx: PlanContext, phase: str) -> list[Exercise]:
    """The safe exercises for a phase, best fit first."""
    allowed = (ex for ex in exercise_library() if _allowed(ctx, ex, phase))
    return sorted(allowed, key=lambda ex: _rank(ctx, ex, phase))


def directional_exercise(ctx: PlanContext, phase: str) -> Exercise | None:
    """The repeated-movement exercise for the preferred direction, when one is safe here."""
    preferred = ctx.classification.directional_preference.preferred
    return next((ex for ex in candidates(ctx, phase)
                 if ex.directional and ex.direction in preferred), None)  # fmt: skip


def _why(ctx: PlanContext, ex: Exercise) -> str:
    reasons = [ex.target]
    if ex.direction in ctx.classification.directional_preference.preferred:
        reasons.append(f"{ex.direction.replace('_', ' ')} centralized symptoms")
    matched = sorted(set(ex.tags) & (set(ctx.case.episode.causes) | set(ctx.case.lifestyle.work)))
    if matched:
        reasons.append(f"fits: {', '.join(m.replace('_', ' ') for m in matched)}")
    return "; ".join(reasons)


def _entry(ctx: PlanContext, ex: Exercise) -> HomeExercise:
    mods = tuple(dict.fromkeys(ctx.verdicts[ex.intervention].modifications
                               + ctx.exercise_verdicts[ex.id].modifications))  # fmt: skip
    return HomeExercise(
        id=ex.id, name=ex.name, category=ex.category, target=ex.target,
        instructions=ex.instructions, dose=ex.dose, dose_source=ex.dose_source,
        minutes=ex.minutes, progress=ex.progress, regress=ex.regress, stop_if=ex.avoid_note,
        why=_why(ctx, ex), modifications=mods,
    )  # fmt: skip


def _budget(ctx: PlanContext) -> tuple[int, list[str]]:
    minutes = ctx.case.lifestyle.home_minutes_per_day
    if minutes is None:
        return DEFAULT_MINUTES, [f"home exercise time not recorded: {DEFAULT_MINUTES} min assumed"]
    return minutes, []


def _fill(chosen: list[Exercise], pool: list[Exercise], budget: int) -> list[Exercise]:
    for ex in pool:
        per_category = sum(1 for c in chosen if c.category == ex.category)
        fits = sum(c.minutes for c in chosen) + ex.minutes <= budget
        room = per_category < MAX_PER_CATEGORY and len(chosen) < MAX_EXERCISES
        if ex not in chosen and fits and room:
            chosen.append(ex)
    return chosen


def _first(ctx: PlanContext, phase: str, budget: int, notes: list[str]) -> list[Exercise]:
    """The directional-preference exercise goes in first, even past the minutes available."""
    dp = directional_exercise(ctx, phase) if phase != "return_to_activity" else None
    if dp is None:
        return []
    if dp.minutes > budget:
        notes.append(f"the directional-preference exercise ({dp.name}, {dp.minutes} min) is "
                     f"kept although it is more than the {budget} min a day available")  # fmt: skip
    return [dp]


def home_programme(ctx: PlanContext, phase: str) -> HomeProgramme:
    budget, notes = _budget(ctx)
    pool = candidates(ctx, phase)
    chosen = _fill(_first(ctx, phase, budget, notes), pool, budget)
    if not pool:
        notes.append("no library exercise is safe for this phase: therapist to prescribe")
    elif not chosen:
        shortest = min(ex.minutes for ex in pool)
        notes.append(
            f"{budget} min a day is less than the shortest suitable exercise "
            f"({shortest} min): agree a little more time or use clinic visits"
        )
    if ctx.start_back_risk == "low":
        notes.append("low STarT Back risk: the home programme is the main treatment")
    return HomeProgramme(
        phase=phase,
        minutes_available=budget,
        minutes_used=sum(ex.minutes for ex in chosen),
        exercises=tuple(_entry(ctx, ex) for ex in chosen),
        notes=tuple(notes),
    )
