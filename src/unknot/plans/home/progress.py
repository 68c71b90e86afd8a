"""Outcome measures over an episode: series, change against the MCID, and plain words.

The verdict (improved / unchanged / worse) always comes from the care core's change functions,
so the charts, the therapist's tables and the person's sentences cannot disagree with it.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from unknot.care import DEFAULT_SETTINGS, Change, Settings, instruments
from unknot.care.instruments import Measure, psfs
from unknot.care.instruments.base import EVERY_VISIT


def _charted() -> dict[str, Measure]:
    """Every measure of care.instruments with a meaningful change: those taken at every visit
    first (pain), then the others, each in the registry's order."""
    charted = [(i, m) for i in instruments.REGISTRY for m in i.measures if m.mcid is not None]
    charted.sort(key=lambda pair: pair[0].remeasured != EVERY_VISIT)
    return {m.key: m for _, m in charted}


MEASURES: dict[str, Measure] = _charted()


def _mcid(measure: Measure) -> instruments.base.Mcid:
    assert measure.mcid is not None, measure.key
    return measure.mcid


@dataclass(frozen=True)
class Outcome:
    measure: Measure
    points: tuple[tuple[dt.date, float], ...]
    change: Change | None  # None with fewer than two measurements
    band: tuple[float, float] | None  # baseline +/- MCID: inside means no meaningful change
    sentence: str  # for the person

    @property
    def baseline(self) -> float | None:
        return self.points[0][1] if self.points else None

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None


def num(value: float) -> str:
    return f"{round(value, 1):g}"


def band(key: str, baseline: float, settings: Settings = DEFAULT_SETTINGS) -> tuple[float, float]:
    """(low, high): values strictly between are 'unchanged' by the core's rule for `key`."""
    return _mcid(MEASURES[key]).band(baseline, settings)


def _points(value: float) -> str:
    return f"{num(value)} point" + ("" if num(value) == "1" else "s")


def sentence(measure: Measure, change: Change | None, latest: float | None) -> str:
    """One or two plain sentences for the person, driven by the core's verdict."""
    if latest is None:
        return ""
    if change is None:
        return (
            f"So far there is one measurement of your {measure.plain} "
            f"({num(latest)}{measure.plain_unit}). "
            "Once it is measured again you will see here how it has changed."
        )
    size = _points(abs(change.difference))
    went_down = change.difference < 0
    span = f"(from {num(change.baseline)} to {num(change.current)}{measure.plain_unit})"
    if change.verdict == "improved":
        how = "dropped" if went_down else "risen"
        return (
            f"Your {measure.plain} has {how} by {size} since your first visit {span}. "
            "That is a real improvement: bigger than everyday ups and downs."
        )
    if change.verdict == "worse":
        how = "dropped" if went_down else "gone up"
        return (
            f"Your {measure.plain} has {how} by {size} since your first visit {span}. "
            "That is more than everyday ups and downs, so please tell your therapist."
        )
    moved = f"moved by {size}" if change.difference else "stayed the same"
    return (
        f"Your {measure.plain} has {moved} since your first visit {span}. That is within "
        "everyday ups and downs, so it is too early to call it a real change."
    )


def outcome(
    key: str, scores: Iterable[tuple[dt.date, float]], settings: Settings = DEFAULT_SETTINGS
) -> Outcome:
    measure = MEASURES[key]
    points = tuple(scores)
    change = None
    limits = None
    if points:
        limits = band(key, points[0][1], settings)
    if len(points) >= 2:
        change = measure.change(points[0][1], points[-1][1], settings)
    latest = points[-1][1] if points else None
    return Outcome(measure, points, change, limits, sentence(measure, change, latest))


def outcomes(
    series: Mapping[str, Sequence[tuple[dt.date, float]]], settings: Settings = DEFAULT_SETTINGS
) -> list[Outcome]:
    """One Outcome per charted measure, in the registry's order, empty ones included."""
    return [outcome(key, series.get(key, ()), settings) for key in MEASURES]


def session_pain_words(mean_change: float | None) -> str:
    """How the home sessions affect pain on average, for the person ("" when not known)."""
    if mean_change is None:
        return ""
    if mean_change < 0:
        return (
            f"On average your pain was {_points(-mean_change)} lower after a session than before."
        )
    if mean_change > 0:
        return (
            f"On average your pain was {_points(mean_change)} higher after a session than "
            "before. Tell your therapist: the exercises may need adjusting."
        )
    return "On average your pain was the same after a session as before."


def goal_sentence(change: Change | None, latest: float | None, settings: Settings) -> str:
    """One goal's change since its first rating, for the person, by the core's verdict on a
    single activity (MCID-PSFS-ITEM)."""
    if latest is None:
        return "Not rated yet: your therapist asks how well you can do it at your re-assessments."
    if change is None:
        return (
            f"First rated {num(latest)} out of 10. Once it is rated again you will see here "
            "how it has changed."
        )
    moved = "stayed the same"
    if change.difference:
        how = "risen" if change.difference > 0 else "dropped"
        moved = f"{how} by {_points(abs(change.difference))}"
    span = f"(from {num(change.baseline)} to {num(change.current)} out of 10)"
    verdict = {
        "improved": "That is a real improvement.",
        "worse": "That is a real change for the worse, so please tell your therapist.",
        "unchanged": f"A change of {num(settings.psfs_mcid_single)} points or more counts as "
        "real, so it is too early to call this one.",
    }[change.verdict]
    return f"Since you first rated it, it has {moved} {span}. {verdict}"


def goal_outcome(
    words: str, scores: Iterable[tuple[dt.date, float]], settings: Settings = DEFAULT_SETTINGS
) -> Outcome:
    """One goal's ratings as a chartable outcome: its band is the single-activity threshold."""
    measure = dataclasses.replace(psfs.ACTIVITY, heading=f"{words} (0-10)")
    points = tuple(scores)
    mcid = _mcid(measure)
    change = mcid.change(points[0][1], points[-1][1], settings) if len(points) > 1 else None
    limits = mcid.band(points[0][1], settings) if points else None
    latest = points[-1][1] if points else None
    return Outcome(measure, points, change, limits, goal_sentence(change, latest, settings))
