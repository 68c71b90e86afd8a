"""Patient-Specific Functional Scale (Stratford 1995): rules PSFS-SCORE, MCID-PSFS(-ITEM)."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from ..change import Change, points_band, points_change
from ..model import PsfsItem
from ..settings import DEFAULT_SETTINGS, Settings
from .base import (
    JSON,
    NOT_RECORDED,
    REASSESSMENT,
    Details,
    Instrument,
    Item,
    Mcid,
    Measure,
    NotScored,
    Result,
)
from .nprs import PAGE

ROWS = range(1, 6)
NEEDED_ROWS = 3  # 3-5 activities
INTRO: Final = (
    "Name 3 to 5 things you do in your day that your back now makes hard, for example "
    "carrying shopping or sitting through a meeting. For each, choose how well you can do it "
    "today: 0 means you cannot do it at all, 10 means as well as before the pain."
)
SCORE_QUESTION: Final = "How well can you do activity {n} today? (0 = not at all, 10 = as before)"


@dataclass(frozen=True)
class PsfsScore:
    mean: float
    items: tuple[PsfsItem, ...]
    rule_ids: tuple[str, ...] = ("PSFS-SCORE",)


def score_psfs(items: Sequence[PsfsItem] | None) -> PsfsScore | NotScored:
    """PSFS-SCORE (Stratford 1995): the mean of 3-5 patient-chosen activities rated 0-10."""
    if not items or not 3 <= len(items) <= 5:
        count = len(items) if items else 0
        return NotScored(
            "psfs", "PSFS-SCORE", f"cannot score PSFS: needs 3-5 activities, got {count}"
        )
    mean = sum(Fraction(str(i.score)) for i in items) / len(items)
    return PsfsScore(round(float(mean), 2), tuple(items))


def psfs_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-PSFS: 2 points on the mean."""
    return points_change("psfs", "MCID-PSFS", baseline, current, settings.psfs_mcid_mean, False)


def psfs_activity_change(
    activity: str, baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS
) -> Change:
    """MCID-PSFS-ITEM: 3 points on a single activity."""
    return points_change(f"psfs:{activity}", "MCID-PSFS-ITEM", baseline, current,
                         settings.psfs_mcid_single, False)  # fmt: skip


def psfs_item_changes(
    baseline: Sequence[PsfsItem], current: Sequence[PsfsItem], settings: Settings = DEFAULT_SETTINGS
) -> tuple[Change, ...]:
    """MCID-PSFS-ITEM for each activity, matched by its name."""
    before = {i.activity.casefold(): i.score for i in baseline}
    return tuple(
        psfs_activity_change(item.activity, before[item.activity.casefold()], item.score, settings)
        for item in current
        if item.activity.casefold() in before
    )


def _band(baseline: float, settings: Settings) -> tuple[float, float]:
    return points_band(baseline, settings.psfs_mcid_mean)


def parse_items(raw: Sequence[dict[str, Any]] | None) -> tuple[PsfsItem, ...] | None:
    if raw is None:
        return None
    return tuple(PsfsItem(activity=i["activity"], score=float(i["score"])) for i in raw)


def _score(items: Any, settings: Settings) -> PsfsScore | NotScored:
    return score_psfs(items)


def _results(score: PsfsScore) -> tuple[Result, ...]:
    items = [{"activity": i.activity, "score": i.score} for i in score.items]
    return (Result("psfs", score.mean, "", {"items": items}),)


def _summary(details: Details) -> str:
    return ", ".join(f"{i['activity']} ({i['score']:g})" for i in details.get("items", ()))


def _items() -> tuple[Item, ...]:
    rows = []
    for n in ROWS:
        rows.append(Item(f"{n}.activity", f"Activity {n}", "string", f"activity_{n}",
                         optional=n > NEEDED_ROWS))  # fmt: skip
        rows.append(Item(f"{n}.score", SCORE_QUESTION.format(n=n), "integer", f"score_{n}",
                         scale=(0, 10), optional=True))  # fmt: skip
    return tuple(rows)


_TEXT: JSON = {"type": "string", "minLength": 1, "maxLength": 200}
_ITEM: JSON = {
    "type": "object",
    "properties": {"activity": _TEXT, "score": {"type": "number", "minimum": 0, "maximum": 10}},
    "additionalProperties": False,
    "required": ["activity", "score"],
}
# Also the shape of `previous.psfs` in a case.
ITEMS_SCHEMA: JSON = {"type": "array", "items": _ITEM, "minItems": 1, "maxItems": 5}


def _activity_band(baseline: float, settings: Settings) -> tuple[float, float]:
    return points_band(baseline, settings.psfs_mcid_single)


# One activity followed over time: the person's goal in their own words (records.ActivityGoal).
# Not stored as a score of its own: its ratings are the items of each stored PSFS.
ACTIVITY = Measure(
    "psfs_activity",
    "PSFS activity",
    0,
    10,
    heading="One activity (PSFS, 0-10)",
    short="PSFS activity",
    plain="rating of this activity",
    mcid=Mcid(
        "MCID-PSFS-ITEM",
        False,
        lambda baseline, current, settings: psfs_activity_change("", baseline, current, settings),
        _activity_band,
    ),
)

INSTRUMENT = Instrument(
    key="psfs",
    name="Patient-Specific Functional Scale",
    short="PSFS",
    label="Patient-Specific Functional Scale (mean)",
    plain="your own activities",
    source="Stratford et al., Physiotherapy Canada 1995",
    licence=NOT_RECORDED,
    page=PAGE,
    intro=INTRO,
    items=_items(),
    measures=(
        Measure(
            "psfs",
            "Patient-Specific Functional Scale (mean)",
            0,
            10,
            heading="Function (PSFS mean, 0-10)",
            short="PSFS mean",
            unit="{score}",
            plain="score for the activities you chose",
            mcid=Mcid("MCID-PSFS", False, psfs_change, _band),
            summary=_summary,
        ),
    ),
    answers_schema=ITEMS_SCHEMA,
    parse=parse_items,
    score=_score,
    results=_results,
    remeasured=REASSESSMENT,
    not_given="PSFS not given",
)
