"""PROG-1, a heuristic (no guideline gives numbers): ready for active care? ready to load more?

The visits screen calls check_progression with the baseline and this visit's values; the answer
is a suggestion for the therapist, labelled as a heuristic, never an automatic step.
"""

from dataclasses import dataclass

from .scores import odi_band
from .settings import DEFAULT_SETTINGS, Settings

_BAND_ORDER = ("minimal", "moderate", "severe", "crippling", "bed_bound_or_exaggerating")


@dataclass(frozen=True)
class ProgressPoint:
    nprs: float | None = None
    odi: float | None = None
    symptom_course: str | None = None  # stable | centralising | peripheralising | worsening
    flare_24h: bool | None = None  # a flare lasting over 24 h after the current exercise dose


@dataclass(frozen=True)
class ProgressionSuggestion:
    ready_for_active_care: bool | None  # None: not enough recorded to tell
    ready_to_load_more: bool | None
    reasons: tuple[str, ...]
    rule_id: str = "PROG-1"
    heuristic: bool = True


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
    return ok, f"symptoms: {now.symptom_course}"


def _flare(now: ProgressPoint) -> Check:
    if now.flare_24h is None:
        return None, "flare: not recorded whether the last dose caused a flare over 24 h"
    return not now.flare_24h, "flare over 24 h after the last dose" if now.flare_24h else (
        "no flare over 24 h after the last dose"
    )


def _all(checks: list[Check]) -> bool | None:
    results = [ok for ok, _ in checks]
    if False in results:
        return False
    return None if None in results else True


def _mark(check: Check) -> str:
    ok, text = check
    return f"{'met' if ok else 'not met' if ok is False else 'unknown'}: {text}"


def check_progression(
    baseline: ProgressPoint, current: ProgressPoint, settings: Settings = DEFAULT_SETTINGS
) -> ProgressionSuggestion:
    """Active care when pain, disability, symptoms and flare criteria all hold (PROG-1).
    Load more when there was no flare, symptoms are stable or centralising and pain is not worse.
    """
    pain, disability = _pain(baseline, current, settings), _disability(baseline, current, settings)
    symptoms, flare = _symptoms(current), _flare(current)
    worse: Check = (None, "pain change unknown")
    if baseline.nprs is not None and current.nprs is not None:
        rise = current.nprs - baseline.nprs
        worse = (rise < settings.nprs_mcid, f"pain not meaningfully worse ({rise:+g})")
    return ProgressionSuggestion(
        ready_for_active_care=_all([pain, disability, symptoms, flare]),
        ready_to_load_more=_all([flare, symptoms, worse]),
        reasons=tuple(_mark(c) for c in (pain, disability, symptoms, flare, worse)),
    )
