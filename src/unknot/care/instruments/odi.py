"""Oswestry Disability Index v2.1a (Fairbank & Pynsent 2000), rules ODI-* and MCID-ODI."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from ..change import Change, Criterion, points, relative, rounded, verdict
from ..settings import DEFAULT_SETTINGS, Settings
from .base import (
    NOT_RECORDED,
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
    label_of,
    loinc,
)

PANEL = Code("97908-8", "Oswestry Disability Index panel")
SCORE = Code("97909-6", "Oswestry Disability Index score")

# Each section's six statements, 0 (no trouble) to 5 (the most trouble), in our own plain words.
SECTIONS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "Pain right now",
        (
            "I have no pain at the moment.",
            "The pain is very mild at the moment.",
            "The pain is moderate at the moment.",
            "The pain is fairly bad at the moment.",
            "The pain is very bad at the moment.",
            "The pain is the worst I can imagine at the moment.",
        ),
    ),
    (
        "Looking after yourself (washing, dressing)",
        (
            "I can look after myself as usual without extra pain.",
            "I can look after myself as usual, but it is very painful.",
            "It is painful to look after myself, so I am slow and careful.",
            "I need some help, but I manage most of it myself.",
            "I need help every day with most of it.",
            "I do not get dressed, I wash with difficulty and I stay in bed.",
        ),
    ),
    (
        "Lifting",
        (
            "I can lift heavy things without extra pain.",
            "I can lift heavy things, but it gives me extra pain.",
            "Pain stops me lifting heavy things from the floor, but I can if they are at a "
            "handy height, for example on a table.",
            "Pain stops me lifting heavy things, but I can manage light or medium things at a "
            "handy height.",
            "I can only lift very light things.",
            "I cannot lift or carry anything.",
        ),
    ),
    (
        "Walking",
        (
            "Pain does not stop me walking any distance.",
            "Pain stops me walking more than about a mile (1.5 km).",
            "Pain stops me walking more than about half a mile (800 m).",
            "Pain stops me walking more than about 100 yards (100 m).",
            "I can only walk with a stick or crutches.",
            "I am in bed most of the time.",
        ),
    ),
    (
        "Sitting",
        (
            "I can sit in any chair for as long as I like.",
            "I can only sit in my favourite chair for as long as I like.",
            "Pain stops me sitting for more than an hour.",
            "Pain stops me sitting for more than half an hour.",
            "Pain stops me sitting for more than 10 minutes.",
            "Pain stops me sitting at all.",
        ),
    ),
    (
        "Standing",
        (
            "I can stand for as long as I want without extra pain.",
            "I can stand for as long as I want, but it gives me extra pain.",
            "Pain stops me standing for more than an hour.",
            "Pain stops me standing for more than half an hour.",
            "Pain stops me standing for more than 10 minutes.",
            "Pain stops me standing at all.",
        ),
    ),
    (
        "Sleeping",
        (
            "Pain never wakes me.",
            "Pain wakes me now and then.",
            "Because of pain I sleep less than 6 hours.",
            "Because of pain I sleep less than 4 hours.",
            "Because of pain I sleep less than 2 hours.",
            "Pain stops me sleeping at all.",
        ),
    ),
    (
        "Sex life (skip this one if it does not apply)",
        (
            "My sex life is as usual and gives me no extra pain.",
            "My sex life is as usual, but it gives me some extra pain.",
            "My sex life is nearly as usual, but it is very painful.",
            "Pain limits my sex life a great deal.",
            "Because of pain I have nearly no sex life.",
            "Pain stops any sex life at all.",
        ),
    ),
    (
        "Social life",
        (
            "My social life is as usual and gives me no extra pain.",
            "My social life is as usual, but it makes the pain worse.",
            "Pain does not change my social life much, apart from more energetic things such as "
            "sport.",
            "Pain has limited my social life and I go out less often.",
            "Pain has limited my social life to my home.",
            "Because of pain I have no social life.",
        ),
    ),
    (
        "Travelling",
        (
            "I can travel anywhere without pain.",
            "I can travel anywhere, but it gives me extra pain.",
            "The pain is bad, but I manage journeys of over 2 hours.",
            "Pain limits me to journeys of less than an hour.",
            "Pain limits me to short, necessary journeys of less than 30 minutes.",
            "Pain stops me travelling except to get treatment.",
        ),
    ),
)
SKIPPABLE = 8  # the sex-life section may be left blank (one missing section is allowed)

BANDS: Final = (
    (20, "minimal"),
    (40, "moderate"),
    (60, "severe"),
    (80, "crippling"),
    (100, "bed_bound_or_exaggerating"),
)
BAND_LABELS: Final[dict[str, str]] = {
    "minimal": "minimal disability",
    "moderate": "moderate disability",
    "severe": "severe disability",
    "crippling": "crippling back pain",
    "bed_bound_or_exaggerating": "bed-bound, or symptoms exaggerated",
}


@dataclass(frozen=True)
class OdiScore:
    percent: float
    band: str
    sum: int  # the raw sum of the answered sections
    max_sum: int  # 5 x sections answered: the sum the percent is taken of
    sections_answered: int
    sections_missing: int
    loinc: tuple[Loinc, ...]
    rule_ids: tuple[str, ...]


_CODES = (loinc(PANEL, "Oswestry panel"), loinc(SCORE, "Oswestry score"))


def odi_band(percent: Fraction | float) -> str:
    """ODI-BAND: upper bounds inclusive on the unrounded score (20 is minimal, 20.5 moderate)."""
    return next(name for upper, name in BANDS if percent <= upper)


def score_odi(
    sections: Sequence[int | None], settings: Settings = DEFAULT_SETTINGS
) -> OdiScore | NotScored:
    """ODI-SCORE: sum / (5 x sections answered) x 100; ODI-MISSING refuses past the limit."""
    if len(sections) != 10:
        return NotScored("odi", "ODI-SCORE", "cannot score ODI: needs exactly 10 sections")
    answered = [s for s in sections if s is not None]
    missing = 10 - len(answered)
    limit = settings.odi_max_missing_sections
    if missing > limit:
        reason = (
            f"cannot score ODI: {missing} of 10 sections unanswered; the limit is {limit} "
            "(setting odi_max_missing_sections)"
        )
        return NotScored("odi", "ODI-MISSING", reason)
    # Exact arithmetic so the band boundaries are exact, then rounded only for display.
    percent = Fraction(100 * sum(answered), 5 * len(answered))
    rules = ("ODI-SCORE", "ODI-BAND") + (("ODI-MISSING",) if missing else ())
    return OdiScore(
        percent=round(float(percent), 2),
        band=odi_band(percent),
        sum=sum(answered),
        max_sum=5 * len(answered),
        sections_answered=len(answered),
        sections_missing=missing,
        loinc=_CODES,
        rule_ids=rules,
    )


def odi_change(baseline: float, current: float, settings: Settings = DEFAULT_SETTINGS) -> Change:
    """MCID-ODI: 10 points or 30 % of baseline, whichever is smaller (Ostelo 2008).

    The percentage only counts towards improvement: on a low baseline 30 % is a few points, too
    small to call a worsening meaningful, so worse is judged on points alone.
    """
    threshold, pct = settings.odi_mcid_points, settings.odi_mcid_percent
    gain = baseline - current
    by_share = gain >= baseline * pct / 100 if pct > 0 and baseline > 0 else False
    said = "improved" if gain >= threshold or (gain > 0 and by_share) else verdict(gain, threshold)
    label = f"{threshold:g} points or {pct:g}% of baseline" if pct > 0 else f"{threshold:g} points"
    criteria = [points(gain, threshold, "lower")]
    if pct > 0:
        criteria.append(Criterion(f"lower by at least {pct:g}% of the baseline",
                                  gain > 0 and by_share))  # fmt: skip
    criteria.append(points(-gain, threshold, "higher"))
    return Change("odi", baseline, current, rounded(current - baseline), label, said, "MCID-ODI",
                  relative(baseline, current), tuple(criteria))  # fmt: skip


def odi_band_of_no_change(baseline: float, settings: Settings) -> tuple[float, float]:
    """Improvement at 10 points or 30 % of baseline, whichever is smaller; worse on points."""
    threshold, pct = settings.odi_mcid_points, settings.odi_mcid_percent
    better = min(threshold, baseline * pct / 100) if pct > 0 and baseline > 0 else threshold
    return baseline - better, baseline + threshold


def _section(value: int | list[int] | None) -> int | None:
    # ODI-MULTI: two statements marked in one section count as the higher one.
    return max(value) if isinstance(value, list) else value


def _parse(raw: Any) -> tuple[int | None, ...]:
    return tuple(_section(s) for s in raw)


def _score(sections: Any, settings: Settings) -> OdiScore | NotScored:
    return score_odi(sections, settings)


def _results(score: OdiScore) -> tuple[Result, ...]:
    details = {"band": score.band, "sum": score.sum, "sections_missing": score.sections_missing}
    return (Result("odi", score.percent, SCORE.code, details),)


def _summary(details: Details) -> str:
    words = []
    if "band" in details:
        words.append(label_of(BAND_LABELS, details["band"]))
    if "sum" in details:
        words.append(f"raw sum {details['sum']}")
    if details.get("sections_missing"):
        words.append(f"{details['sections_missing']} section(s) unanswered")
    return "; ".join(words)


def _interpretation(details: Details) -> str:
    band = details.get("band")
    return f"Disability band: {str(band).replace('_', ' ')}" if band else ""


_SECTION: Any = {
    "anyOf": [
        {"type": ["integer", "null"], "minimum": 0, "maximum": 5},
        {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 5},
         "minItems": 1, "maxItems": 6},
    ],
    "description": "0-5, null if unanswered, or a list of marked statements (higher counts)",
}  # fmt: skip

INSTRUMENT = Instrument(
    key="odi",
    name="Oswestry Disability Index",
    short="Oswestry",
    label="Oswestry Disability Index (%)",
    plain="what you can do at the moment",
    source="Fairbank & Pynsent, Spine 2000 (v2.1a); MCID: Ostelo et al., Spine 2008",
    licence=NOT_RECORDED,
    page=Page(
        "daily-activities",
        "What you can do at the moment",
        "Ten everyday areas. In each, choose the one statement that fits you best today.",
    ),
    intro="",
    items=tuple(
        Item(
            str(n),
            title,
            "choice",
            f"section_{n}",
            tuple(enumerate(statements)),
            optional=n == SKIPPABLE,
        )
        for n, (title, statements) in enumerate(SECTIONS, start=1)
    ),
    measures=(
        Measure(
            "odi",
            "Oswestry Disability Index (%)",
            0,
            100,
            heading="Disability (ODI, %)",
            short="Oswestry (ODI)",
            code=SCORE,
            unit="%",
            plain="back-related disability score",
            plain_unit="%",
            mcid=Mcid("MCID-ODI", True, odi_change, odi_band_of_no_change),
            summary=_summary,
            interpretation=_interpretation,
        ),
    ),
    answers_schema=answer_list(_SECTION, 10, "Oswestry v2.1a sections 1-10 in order"),
    parse=_parse,
    score=_score,
    results=_results,
    codes=(PANEL,),
    remeasured=REASSESSMENT,
    not_given="ODI not given",
)
