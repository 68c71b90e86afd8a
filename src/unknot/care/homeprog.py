"""PLAN-HEP (heuristic): pick the home programme from the library, sized to the time available.

Safe first (no contraindicated intervention, nothing the exercise itself must avoid, nothing in
a direction that peripheralises), then by fit: the directional preference, the causes and work
demands, the library's own priority. At most two per category and six in all, for adherence.
"""

from .context import PlanContext
from .library import Exercise, exercise_library
from .plan_model import HomeExercise, HomeProgramme

DEFAULT_MINUTES = 10
MAX_EXERCISES = 6
MAX_PER_CATEGORY = 2


def _allowed(ctx: PlanContext, ex: Exercise, phase: str) -> bool:
    dp = ctx.classification.directional_preference
    if phase not in ex.phases or not ctx.safe(ex.intervention):
        return False
    if any(fact in ctx.facts for fact in ex.avoid_when) or ex.direction in dp.avoid:
        return False
    return "needs_preference" not in ex.tags or ex.direction in dp.preferred


def _rank(ctx: PlanContext, ex: Exercise, phase: str) -> tuple[int, str]:
    wanted = set(ctx.case.episode.causes) | set(ctx.case.lifestyle.work)
    if phase == "symptom_relief":
        wanted.add("spasm_relief")
    score = ex.priority - len(wanted & set(ex.tags))
    if ex.direction in ctx.classification.directional_preference.preferred:
        score -= 2
    return score, ex.id


def _why(ctx: PlanContext, ex: Exercise) -> str:
    reasons = [ex.target]
    if ex.direction in ctx.classification.directional_preference.preferred:
        reasons.append(f"{ex.direction} centralised symptoms")
    matched = sorted(set(ex.tags) & (set(ctx.case.episode.causes) | set(ctx.case.lifestyle.work)))
    if matched:
        reasons.append(f"fits: {', '.join(matched)}")
    return "; ".join(reasons)


def _entry(ctx: PlanContext, ex: Exercise) -> HomeExercise:
    mods = ctx.verdicts[ex.intervention].modifications
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


def home_programme(ctx: PlanContext, phase: str) -> HomeProgramme:
    budget, notes = _budget(ctx)
    candidates = sorted(
        (ex for ex in exercise_library() if _allowed(ctx, ex, phase)),
        key=lambda ex: _rank(ctx, ex, phase),
    )
    chosen: list[Exercise] = []
    for ex in candidates:
        per_category = sum(1 for c in chosen if c.category == ex.category)
        fits = sum(c.minutes for c in chosen) + ex.minutes <= budget
        if fits and per_category < MAX_PER_CATEGORY and len(chosen) < MAX_EXERCISES:
            chosen.append(ex)
    if not candidates:
        notes.append("no library exercise is safe for this phase: therapist to prescribe")
    elif not chosen:
        shortest = min(ex.minutes for ex in candidates)
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
