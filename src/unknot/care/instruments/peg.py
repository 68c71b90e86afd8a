"""PEG: Pain, Enjoyment of life and General activity (Krebs et al. 2009), rules PEG-SCORE and
MCID-PEG.

Three items from the Brief Pain Inventory, each 0-10 over the past week: average pain, how much
pain got in the way of enjoying life, and of general activity. The score is their mean (0-10,
lower is better). The 2022 CDC clinical practice guideline names it as a way to follow pain and
function over time.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from ..change import Change, points_band, points_change
from ..settings import DEFAULT_SETTINGS, Settings
from .base import (
    REASSESSMENT,
    Code,
    Details,
    Instrument,
    Item,
    Loinc,
    Mcid,
    Measure,
    NotScored,
    Page,
    Result,
    answer_list,
    as_tuple,
    loinc,
    whole,
)

# LOINC: the item and mean-score codes as the AHRQ CDS Connect Pain Management Summary uses
# them; the panel code as listed for the PEG in LOINC-based questionnaire libraries.
PANEL = Code("91148-7", "Pain intensity, Enjoyment of life, General activity scale [PEG]")
MEAN = Code("91147-9", "Mean score [PEG]")
PAIN = Code("75893-8", "Pain severity in the past week - 0-10 numeric rating [Reported]")
ENJOYMENT = Code(
    "91145-3",
    "What number best describes how pain has interfered with your enjoyment of life during "
    "the past week",
)
ACTIVITY = Code(
    "91146-1",
    "What number best describes how pain has interfered with your general activity during the "
    "past week",
)

# MCID-PEG: about 1 point on the mean (Reed et al., J Pain 2024: anchor-based estimates mostly
# 1.0-1.75, distribution-based 0.6-1.2).
MCID_POINTS: Final = 1.0

# Public domain; each item keeps the published meaning and 0-10 anchors, in plain words.
INTRO: Final = "Think about the past week. Choose one number for each question."
QUESTIONS: Final[tuple[str, ...]] = (
    "On average, how bad was your pain in the past week? "
    "(0 = no pain, 10 = pain as bad as you can imagine)",
    "In the past week, how much did pain get in the way of your enjoyment of life? "
    "(0 = not at all, 10 = completely)",
    "In the past week, how much did pain get in the way of your general activity? "
    "(0 = not at all, 10 = completely)",
)
_KEYS = ("pain", "enjoyment", "activity")
_WORDS = {"pain": "pain", "enjoyment": "enjoyment of life", "activity": "general activity"}


@dataclass(frozen=True)
class PegScore:
    mean: float
    pain: int
    enjoyment: int
    activity: int
    loinc: tuple[Loinc, ...] = (loinc(PANEL, "PEG panel"), loinc(MEAN, "PEG mean score"))
    rule_ids: tuple[str, ...] = ("PEG-SCORE",)


def score_peg(items: Sequence[int | None]) -> PegScore | NotScored:
    """PEG-SCORE: the mean of the three items, each 0-10; every item is needed."""
    missing = [str(n) for n, value in enumerate(items, start=1) if value is None]
    if len(items) != 3 or missing:
        why = f"items unanswered: {', '.join(missing)}" if missing else "needs exactly 3 items"
        return NotScored("peg", "PEG-SCORE", f"cannot score PEG: {why}")
    pain, enjoyment, activity = (int(value) for value in items if value is not None)
    mean = Fraction(pain + enjoyment + activity, 3)
    return PegScore(round(float(mean), 2), pain, enjoyment, activity)


def peg_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-PEG: 1 point on the mean, lower is better."""
    return points_change("peg", "MCID-PEG", baseline, current, MCID_POINTS, True)


def _band(baseline: float, settings: Settings) -> tuple[float, float]:
    return points_band(baseline, MCID_POINTS)


def _score(items: Any, settings: Settings) -> PegScore | NotScored:
    return score_peg(items)


def _results(score: PegScore) -> tuple[Result, ...]:
    details = {key: getattr(score, key) for key in _KEYS}
    return (Result("peg", score.mean, MEAN.code, details),)


def _summary(details: Details) -> str:
    return ", ".join(f"{_WORDS[key]} {details[key]}" for key in _KEYS if key in details)


INSTRUMENT = Instrument(
    key="peg",
    name="PEG: Pain, Enjoyment of life and General activity",
    short="PEG",
    label="PEG (pain, enjoyment of life, general activity)",
    plain="your pain over the past week",
    source=(
        "Krebs et al., J Gen Intern Med 2009;24(6):733-738; MCID: Reed et al., J Pain "
        "2024;25(1):142-152; CDC Clinical Practice Guideline for Prescribing Opioids for Pain, 2022"
    ),
    licence=(
        "public domain (developed at the VA and Indiana University, freely available); "
        "the items keep the published meaning and anchors, in plain words"
    ),
    page=Page(
        "pain-last-week",
        "Your pain over the past week",
        "Three questions: how bad the pain has been, and how much it has gotten in your way.",
    ),
    intro=INTRO,
    items=tuple(
        Item(str(n), text, "integer", f"peg_{n}", scale=(0, 10), codes=(code,))
        for n, (text, code) in enumerate(
            zip(QUESTIONS, (PAIN, ENJOYMENT, ACTIVITY), strict=True), 1
        )
    ),
    measures=(
        Measure(
            "peg",
            "PEG mean (0-10)",
            0,
            10,
            heading="Pain and interference (PEG mean, 0-10)",
            short="PEG mean",
            code=MEAN,
            unit="{score}",
            plain="score for pain and how it gets in your way",
            mcid=Mcid("MCID-PEG", True, peg_change, _band),
            summary=_summary,
        ),
    ),
    answers_schema=answer_list(
        whole(0, 10, nullable=True),
        3,
        "PEG items 1-3 in order (pain, enjoyment of life, general activity), each 0-10",
    ),
    parse=as_tuple,
    score=_score,
    results=_results,
    codes=(PANEL,),
    remeasured=REASSESSMENT,
)
