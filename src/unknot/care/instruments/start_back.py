"""Keele STarT Back Screening Tool (Hill et al. 2008), rules SBST-SCORE and SBST-RISK."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from .. import vocab
from ..settings import Settings
from .base import (
    NOT_RECORDED,
    Code,
    Details,
    Instrument,
    Item,
    Loinc,
    Measure,
    NotScored,
    Page,
    Part,
    Result,
    as_tuple,
    label_of,
    loinc,
)

PANEL = Code("91349-1", "STarT Back Screening Tool panel")
TOTAL = Code("91351-7", "STarT Back Screening Tool total score")
PSYCHOSOCIAL = Code("91350-9", "STarT Back Screening Tool psychosocial subscore")
RISK_GROUP = Code("91352-5", "STarT Back Screening Tool risk group")
RISK_ANSWERS: Final = {"low": "LA9194-7", "medium": "LA8982-6", "high": "LA9193-9"}
RISK_LABELS: Final[dict[str, str]] = {"low": "Low", "medium": "Medium", "high": "High"}

# Our own plain words, in the published item order (the score is by position).
INTRO: Final = "Thinking about the last 2 weeks, do you agree or disagree?"
AGREE: Final = (("agree", "Agree"), ("disagree", "Disagree"))
AGREE_ITEMS: Final[tuple[str, ...]] = (
    "At some point my back pain has spread down one or both legs.",
    "At some point I have had pain in my shoulder or neck.",
    "Because of my back pain I have only walked short distances.",
    "Getting dressed has taken me longer than usual because of my back pain.",
    "I don't think it is really safe for someone with my back problem to be active.",
    "Worrying thoughts have been on my mind a lot of the time.",
    "I feel my back pain is awful and will never get better.",
    "On the whole, I have not enjoyed the things I used to enjoy.",
)
BOTHER: Final = "All in all, how much has your back pain bothered you in the last 2 weeks?"
# Keys are vocab.SBST_ITEM9.
BOTHER_CHOICES: Final = (
    ("not_at_all", "Not at all"),
    ("slightly", "A little"),
    ("moderately", "Moderately"),
    ("very_much", "Very much"),
    ("extremely", "Extremely"),
)


@dataclass(frozen=True)
class StartBackScore:
    total: int
    psychosocial: int
    risk: str
    risk_answer_loinc: str
    loinc: tuple[Loinc, ...]
    rule_ids: tuple[str, ...] = ("SBST-SCORE", "SBST-RISK")


_ITEM9_POINT = {"not_at_all": 0, "slightly": 0, "moderately": 0, "very_much": 1, "extremely": 1}
_CODES = (
    loinc(PANEL, "STarT Back panel"),
    loinc(TOTAL, "total score"),
    loinc(PSYCHOSOCIAL, "psychosocial subscore"),
    loinc(RISK_GROUP, "risk group"),
)


def score_start_back(items: Sequence[bool | str | None]) -> StartBackScore | NotScored:
    """Items 1-8 True/False (agree/disagree); item 9 a vocab.SBST_ITEM9 answer."""
    missing = [str(i + 1) for i, answer in enumerate(items) if answer is None]
    if len(items) != 9 or missing:
        why = f"items unanswered: {', '.join(missing)}" if missing else "needs exactly 9 items"
        return NotScored("start_back", "SBST-SCORE", f"cannot score STarT Back: {why}")
    points = [1 if answer is True else 0 for answer in items[:8]]
    points.append(_ITEM9_POINT[str(items[8])])
    total, psychosocial = sum(points), sum(points[4:9])
    risk = start_back_risk(total, psychosocial)
    return StartBackScore(total, psychosocial, risk, RISK_ANSWERS[risk], _CODES)


def start_back_risk(total: int, psychosocial: int) -> str:
    """SBST-RISK: total <= 3 low; otherwise psychosocial <= 3 medium, >= 4 high."""
    if total <= 3:
        return "low"
    return "medium" if psychosocial <= 3 else "high"


def _results(score: StartBackScore) -> tuple[Result, ...]:
    details = {"psychosocial": score.psychosocial, "risk": score.risk,
               "risk_loinc": score.risk_answer_loinc}  # fmt: skip
    return (Result("start_back", score.total, TOTAL.code, details),)


def _summary(details: Details) -> str:
    words = []
    if "psychosocial" in details:
        words.append(f"psychosocial subscore {details['psychosocial']}")
    if "risk" in details:
        words.append(f"{label_of(RISK_LABELS, details['risk']).lower()} risk")
    return "; ".join(words)


def _parts(details: Details) -> tuple[Part, ...]:
    parts = []
    if isinstance(details.get("psychosocial"), int):
        parts.append(Part("Psychosocial subscore", PSYCHOSOCIAL, value=details["psychosocial"]))
    risk = details.get("risk")
    if risk in RISK_ANSWERS:
        answer = Code(RISK_ANSWERS[risk], risk.title())
        parts.append(Part("Risk group", RISK_GROUP, answer=answer, answer_text=f"{risk} risk"))
    return tuple(parts)


def _score(items: Any, settings: Settings) -> StartBackScore | NotScored:
    return score_start_back(items)


_AGREE_ITEM: Any = {"type": ["boolean", "null"], "description": "true = agree, false = disagree"}

INSTRUMENT = Instrument(
    key="start_back",
    name="Keele STarT Back Screening Tool",
    short="STarT Back",
    label="STarT Back",
    plain="how your back affects you",
    source="Hill et al., Arthritis Rheum 2008; matched care: Hill et al., Lancet 2011",
    licence=NOT_RECORDED,
    page=Page(
        "start-back", "How your back affects you", "Nine quick statements about the last 2 weeks."
    ),
    intro=INTRO,
    items=(
        *(
            Item(str(n), text, "choice", f"item_{n}", AGREE)
            for n, text in enumerate(AGREE_ITEMS, start=1)
        ),
        Item("9", BOTHER, "choice", "item_9", BOTHER_CHOICES),
    ),
    measures=(
        Measure("start_back", "STarT Back total", 0, 9, code=TOTAL, summary=_summary, parts=_parts),
    ),
    answers_schema={
        "type": "array",
        "prefixItems": [_AGREE_ITEM] * 8
        + [{"type": ["string", "null"], "enum": [*vocab.SBST_ITEM9, None]}],
        "minItems": 9,
        "maxItems": 9,
        "description": "Keele STarT Back items 1-9 in order",
    },
    parse=as_tuple,
    score=_score,
    results=_results,
    codes=(PANEL,),
    not_given="STarT Back not given",
)
