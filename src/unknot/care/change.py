"""Change between two time points against the meaningful-change thresholds (rules MCID-*).

Each instrument (care.instruments) states its own threshold and direction, using the helpers
here. A change exactly at the threshold counts as meaningful ("at least" in Childs 2005 and
Ostelo 2008).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    """One meaningful-change criterion and whether this change meets it."""

    criterion: str
    met: bool


@dataclass(frozen=True)
class Change:
    measure: str
    baseline: float
    current: float
    difference: float
    threshold: str
    verdict: str  # improved | unchanged | worse
    rule_id: str
    relative_change: float | None = None  # percent of the baseline; None from a zero baseline
    criteria: tuple[Criterion, ...] = ()  # each criterion of the threshold, met or not


def relative(baseline: float, current: float) -> float | None:
    return None if baseline == 0 else round((current - baseline) / baseline * 100, 1)


def points(gain: float, threshold: float, better: str) -> Criterion:
    return Criterion(f"{better} by at least {threshold:g} points", gain >= threshold)


def verdict(gain: float, threshold: float) -> str:
    """`gain` is positive when the person is better."""
    if gain >= threshold:
        return "improved"
    if -gain >= threshold:
        return "worse"
    return "unchanged"


def points_change(
    measure: str,
    rule_id: str,
    baseline: float,
    current: float,
    threshold: float,
    lower_is_better: bool,
) -> Change:
    """A change judged on points alone, the same distance either way (NPRS, PSFS, PEG)."""
    gain = baseline - current if lower_is_better else current - baseline
    better, worse = ("lower", "higher") if lower_is_better else ("higher", "lower")
    return Change(
        measure,
        baseline,
        current,
        rounded(current - baseline),
        f"{threshold:g} points",
        verdict(gain, threshold),
        rule_id,
        relative(baseline, current),
        (points(gain, threshold, better), points(-gain, threshold, worse)),
    )


def points_band(baseline: float, threshold: float) -> tuple[float, float]:
    """The values strictly between are `unchanged` by `points_change`."""
    return baseline - threshold, baseline + threshold


def rounded(value: float) -> float:
    return round(value, 2)
