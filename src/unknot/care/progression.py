"""PROG-1 and PROG-2, heuristics (no guideline gives numbers): is the person ready for the next
phase of the plan? Symptom relief -> active care (PROG-1), active care -> return to full
activity (PROG-2, where the loaded weight training lives).

The visit calls check_progression with the baseline, this visit's values and the plan's current
phase; the answer is a suggestion for the therapist, labelled as a heuristic, never an automatic
step. Each criterion is met, not met, or unknown when not recorded (never guessed).
"""

from dataclasses import dataclass

from .instruments.odi import odi_band
from .labels import SYMPTOM_COURSE_LABELS, label
from .settings import DEFAULT_SETTINGS, Settings

_BAND_ORDER = ("minimal", "moderate", "severe", "crippling", "bed_bound_or_exaggerating")
NEXT_PHASE = {"symptom_relief": "active_care", "active_care": "return_to_activity"}
PHASE_RULE = {"symptom_relief": "PROG-1", "active_care": "PROG-2",
              "return_to_activity": "PLAN-DISCHARGE"}  # fmt: skip


@dataclass(frozen=True)
class ProgressPoint:
    nprs: float | None = None
    odi: float | None = None
    symptom_course: str | None = None  # stable | centralising | peripheralising | worsening
    flare_24h: bool | None = None  # a flare lasting over 24 h after the current exercise dose
    psfs_scores: tuple[float, ...] | None = None  # this visit's score of each PSFS activity
    weeks_tolerated: float | None = None  # weeks the current loads went without such a flare
    goals_need_loading: bool | None = None  # work, sport or lifting at home call for it


@dataclass(frozen=True)
class ProgressionSuggestion:
    ready_for_active_care: bool | None  # None: not enough recorded to tell
    ready_to_load_more: bool | None
    reasons: tuple[str, ...]
    rule_id: str = "PROG-1"
    heuristic: bool = True
    phase: str = "symptom_relief"  # the plan's phase the check was made from
    next_phase: str | None = "active_care"  # where the suggestion leads, None at the last
    ready: bool | None = None  # ready for next_phase
    ready_for_return_to_activity: bool | None = None  # PROG-2, checked in active care


Check = tuple[bool | None, str]


def _pain(base: ProgressPoint, now: ProgressPoint, settings: Settings) -> Check:
    if now.nprs is None:
        return None, "pain: no current NPRS"
    if now.nprs <= 3:
        return True, f"pain: NPRS {now.nprs:g} is 3 or less"
    if base.nprs is None:
        return None, f"pain: NPRS {now.nprs:g} and no baseline to compare"
    drop = base.nprs - now.nprs
    return drop >= settings.nprs_mcid, f"pain: NPRS {base.nprs:g} -> {now.nprs:g}"


def _disability(base: ProgressPoint, now: ProgressPoint, settings: Settings) -> Check:
    if base.odi is None or now.odi is None:
        return None, "disability: ODI not recorded at both points"
    drop = base.odi - now.odi
    band_drop = _BAND_ORDER.index(odi_band(now.odi)) < _BAND_ORDER.index(odi_band(base.odi))
    ok = drop >= settings.odi_mcid_points or band_drop
    return ok, f"disability: ODI {base.odi:g}% -> {now.odi:g}%"


def _symptoms(now: ProgressPoint) -> Check:
    if now.symptom_course is None:
        return None, "symptoms: course not recorded"
    ok = now.symptom_course in ("stable", "centralising")
    return ok, f"symptoms: {label(SYMPTOM_COURSE_LABELS, now.symptom_course)}"


def _flare(now: ProgressPoint) -> Check:
    if now.flare_24h is None:
        return None, "flare: not recorded whether the last dose caused a flare over 24 h"
    return not now.flare_24h, "flare over 24 h after the last dose" if now.flare_24h else (
        "no flare over 24 h after the last dose"
    )


def _pain_with_activity(now: ProgressPoint, s: Settings) -> Check:
    if now.nprs is None:
        return None, "pain with activity: no current NPRS"
    return now.nprs <= s.prog2_nprs_max, f"pain with activity: NPRS {now.nprs:g} " + (
        f"(at most {s.prog2_nprs_max:g} needed)"
    )


def _function(now: ProgressPoint, s: Settings) -> Check:
    """ODI at most the threshold, or every one of the person's own PSFS activities high."""
    odi_ok = None if now.odi is None else now.odi <= s.prog2_odi_max
    scores = now.psfs_scores
    psfs_ok = None if not scores else min(scores) >= s.prog2_psfs_min
    results = [r for r in (odi_ok, psfs_ok) if r is not None]
    ok = True if True in results else (False if results else None)
    odi = "not recorded" if now.odi is None else f"{now.odi:g}%"
    psfs = "not recorded" if not scores else f"lowest activity {min(scores):g}/10"
    return ok, (f"function: ODI {odi} (at most {s.prog2_odi_max:g}% needed) or PSFS {psfs} "
                f"({s.prog2_psfs_min:g}/10 or more on every activity needed)")  # fmt: skip


def _tolerated(now: ProgressPoint, s: Settings) -> Check:
    weeks = now.weeks_tolerated
    need = f"{s.prog2_tolerated_weeks} weeks without a flare over 24 h needed"
    if now.flare_24h:
        return False, f"loads: a flare over 24 h after the last dose ({need})"
    if weeks is None:
        return None, f"loads: not recorded how long the current loads have been tolerated ({need})"
    return weeks >= s.prog2_tolerated_weeks, f"loads tolerated for {weeks:g} weeks ({need})"


def _goals(now: ProgressPoint) -> Check:
    if now.goals_need_loading is None:
        return None, "goals: not recorded whether work, sport or lifting at home call for it"
    if now.goals_need_loading:
        return True, "goals: work, sport or lifting at home call for heavier loading"
    return False, "goals: nothing calls for heavier loading; consider discharge instead"


def _all(checks: list[Check]) -> bool | None:
    results = [ok for ok, _ in checks]
    if False in results:
        return False
    return None if None in results else True


def _mark(check: Check) -> str:
    ok, text = check
    return f"{'met' if ok else 'not met' if ok is False else 'unknown'}: {text}"


def return_to_activity_checks(current: ProgressPoint, settings: Settings) -> list[Check]:
    """PROG-2 (RULES section 3): low pain with activity, minimal disability or high PSFS,
    loads tolerated for two weeks without a flare, and goals that call for it."""
    return [_pain_with_activity(current, settings), _function(current, settings),
            _tolerated(current, settings), _goals(current)]  # fmt: skip


def check_progression(
    baseline: ProgressPoint,
    current: ProgressPoint,
    settings: Settings = DEFAULT_SETTINGS,
    phase: str = "symptom_relief",
) -> ProgressionSuggestion:
    """PROG-1 from symptom relief: pain, disability, symptoms and flare criteria all hold.
    PROG-2 from active care: see return_to_activity_checks. Load more (any phase) when there
    was no flare, symptoms are stable or centralising and pain is not meaningfully worse."""
    pain, disability = _pain(baseline, current, settings), _disability(baseline, current, settings)
    symptoms, flare = _symptoms(current), _flare(current)
    worse: Check = (None, "pain change unknown")
    if baseline.nprs is not None and current.nprs is not None:
        rise = current.nprs - baseline.nprs
        worse = (rise < settings.nprs_mcid, f"pain not meaningfully worse ({rise:+g})")
    to_active = _all([pain, disability, symptoms, flare])
    checks = [pain, disability, symptoms, flare, worse]
    to_return = None
    if phase == "active_care":
        prog2 = return_to_activity_checks(current, settings)
        to_return, checks = _all(prog2), [*prog2, worse]
    elif phase == "return_to_activity":  # the last phase: only whether to load more
        checks = [flare, symptoms, worse]
    nxt = NEXT_PHASE.get(phase)
    ready = {"active_care": to_active, "return_to_activity": to_return}.get(nxt or "")
    return ProgressionSuggestion(
        ready_for_active_care=to_active,
        ready_to_load_more=_all([flare, symptoms, worse]),
        reasons=tuple(_mark(c) for c in checks),
        rule_id=PHASE_RULE.get(phase, "PROG-1"),
        phase=phase,
        next_phase=nxt,
        ready=ready,
        ready_for_return_to_activity=to_return,
    )
