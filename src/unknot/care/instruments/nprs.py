"""Numeric Pain Rating Scale 0-10: pain right now (rules NPRS-SCORE, MCID-NPRS)."""

from dataclasses import dataclass
from typing import Any, Final

from ..change import Change, points_band, points_change
from ..settings import DEFAULT_SETTINGS, Settings
from .base import (
    EVERY_VISIT,
    NOT_RECORDED,
    Code,
    Instrument,
    Item,
    Loinc,
    Mcid,
    Measure,
    NotScored,
    Page,
    Result,
    loinc,
    whole,
)

SCORE = Code("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
QUESTION: Final = (
    "How bad is your back pain right now, from 0 (no pain) to 10 (the worst pain you can imagine)?"
)
# NPRS and PSFS are asked on one page.
PAGE = Page(
    "pain-and-activities",
    "Pain and your own activities",
    "How strong the pain is, and the activities that matter most to you.",
)


@dataclass(frozen=True)
class NprsScore:
    score: int
    loinc: tuple[Loinc, ...] = (loinc(SCORE, "pain severity 0-10 verbal numeric rating"),)
    rule_ids: tuple[str, ...] = ("NPRS-SCORE",)


def score_nprs(value: int | None) -> NprsScore | NotScored:
    if value is None:
        return NotScored("nprs", "NPRS-SCORE", "cannot score NPRS: no rating given")
    if not 0 <= value <= 10:
        return NotScored("nprs", "NPRS-SCORE", f"cannot score NPRS: {value} is outside 0-10")
    return NprsScore(value)


def nprs_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-NPRS: 2 points (Childs et al., Spine 2005)."""
    return points_change("nprs", "MCID-NPRS", baseline, current, settings.nprs_mcid, True)


def _band(baseline: float, settings: Settings) -> tuple[float, float]:
    return points_band(baseline, settings.nprs_mcid)


def _score(value: Any, settings: Settings) -> NprsScore | NotScored:
    return score_nprs(value)


def _results(score: NprsScore) -> tuple[Result, ...]:
    return (Result("nprs", score.score, SCORE.code, {}),)


def _same(raw: Any) -> Any:
    return raw


INSTRUMENT = Instrument(
    key="nprs",
    name="Pain today (NPRS 0-10)",
    short="NPRS",
    label="Pain (NPRS 0-10)",
    plain="your pain today",
    source="Numeric Pain Rating Scale; MCID: Childs et al., Spine 2005",
    licence=NOT_RECORDED,
    page=PAGE,
    intro="",
    items=(Item("1", QUESTION, "integer", "nprs", scale=(0, 10), codes=(SCORE,)),),
    measures=(
        Measure(
            "nprs",
            "Pain (NPRS 0-10)",
            0,
            10,
            heading="Pain (NPRS, 0-10)",
            short="Pain (NPRS)",
            code=SCORE,
            plain="pain",
            mcid=Mcid("MCID-NPRS", True, nprs_change, _band),
        ),
    ),
    answers_schema=whole(0, 10, nullable=True),
    parse=_same,
    score=_score,
    results=_results,
    codes=(SCORE,),
    remeasured=EVERY_VISIT,
    not_given="NPRS not given",
)
