"""Change between two time points against the meaningful-change thresholds (rules MCID-*).

Lower is better for NPRS and ODI; higher is better for PSFS. A change exactly at the threshold
counts as meaningful ("at least" in Childs 2005 and Ostelo 2008).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .model import PsfsItem
from .settings import DEFAULT_SETTINGS, Settings


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


def _relative(baseline: float, current: float) -> float | None:
    return None if baseline == 0 else round((current - baseline) / baseline * 100, 1)


def _points(gain: float, threshold: float, better: str) -> Criterion:
    return Criterion(f"{better} by at least {threshold:g} points", gain >= threshold)


def _verdict(gain: float, threshold: float) -> str:
    """`gain` is positive when the person is better."""
    if gain >= threshold:
        return "improved"
    if -gain >= threshold:
        return "worse"
    return "unchanged"


def nprs_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-NPRS: 2 points (Childs et al., Spine 2005)."""
    threshold = settings.nprs_mcid
    gain = baseline - current
    return Change(
        "nprs",
        baseline,
        current,
        _r(current - baseline),
        f"{threshold:g} points",
        _verdict(gain, threshold),
        "MCID-NPRS",
        _relative(baseline, current),
        (_points(gain, threshold, "lower"), _points(-gain, threshold, "higher")),
    )


def odi_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-ODI: 10 points or 30 % of baseline, whichever is smaller (Ostelo 2008).

    The percentage only counts towards improvement: on a low baseline 30 % is a few points, too
    small to call a worsening meaningful, so worse is judged on points alone.
    """
    points, pct = settings.odi_mcid_points, settings.odi_mcid_percent
    gain = baseline - current
    relative = gain >= baseline * pct / 100 if pct > 0 and baseline > 0 else False
    verdict = "improved" if gain >= points or (gain > 0 and relative) else _verdict(gain, points)
    label = f"{points:g} points or {pct:g}% of baseline" if pct > 0 else f"{points:g} points"
    criteria = [_points(gain, points, "lower")]
    if pct > 0:
        criteria.append(Criterion(f"lower by at least {pct:g}% of the baseline",
                                  gain > 0 and relative))  # fmt: skip
    criteria.append(_points(-gain, points, "higher"))
    return Change("odi", baseline, current, _r(current - baseline), label, verdict, "MCID-ODI",
                  _relative(baseline, current), tuple(criteria))  # fmt: skip


def psfs_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-PSFS: 2 points on the mean."""
    threshold = settings.psfs_mcid_mean
    gain = current - baseline
    return Change(
        "psfs",
        baseline,
        current,
        _r(current - baseline),
        f"{threshold:g} points",
        _verdict(gain, threshold),
        "MCID-PSFS",
        _relative(baseline, current),
        (_points(gain, threshold, "higher"), _points(-gain, threshold, "lower")),
    )


def psfs_item_changes(
    baseline: Sequence[PsfsItem], current: Sequence[PsfsItem], settings: Settings = DEFAULT_SETTINGS
) -> tuple[Change, ...]:
    """MCID-PSFS-ITEM: 3 points on a single activity, matched by its name."""
    before = {i.activity.casefold(): i.score for i in baseline}
    threshold = settings.psfs_mcid_single
    changes = []
    for item in current:
        old = before.get(item.activity.casefold())
        if old is None:
            continue
        gain = item.score - old
        label = f"{threshold:g} points"
        changes.append(
            Change(
                f"psfs:{item.activity}", old, item.score, _r(gain), label,
                _verdict(gain, threshold), "MCID-PSFS-ITEM", _relative(old, item.score),
                (_points(gain, threshold, "higher"), _points(-gain, threshold, "lower")),
            )
        )  # fmt: skip
    return tuple(changes)


def _r(value: float) -> float:
    return round(value, 2)
