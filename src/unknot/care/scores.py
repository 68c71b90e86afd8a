"""Questionnaire scoring: STarT Back, Oswestry, NPRS, PSFS and FABQ (rules SBST-*, ODI-*, ...).

Each scorer returns its score or a NotScored that says why; none guesses a missing answer
beyond what the questionnaire's own scoring rules allow.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .model import PsfsItem
from .settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True)
class Loinc:
    code: str
    meaning: str


@dataclass(frozen=True)
class NotScored:
    """A questionnaire that could not be scored, and why."""

    questionnaire: str
    rule_id: str
    reason: str


@dataclass(frozen=True)
class StartBackScore:
    total: int
    psychosocial: int
    risk: str
    risk_answer_loinc: str
    loinc: tuple[Loinc, ...]
    rule_ids: tuple[str, ...] = ("SBST-SCORE", "SBST-RISK")


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


@dataclass(frozen=True)
class NprsScore:
    score: int
    loinc: tuple[Loinc, ...] = (Loinc("72514-3", "pain severity 0-10 verbal numeric rating"),)
    rule_ids: tuple[str, ...] = ("NPRS-SCORE",)


@dataclass(frozen=True)
class PsfsScore:
    mean: float
    items: tuple[PsfsItem, ...]
    rule_ids: tuple[str, ...] = ("PSFS-SCORE",)


@dataclass(frozen=True)
class FabqSubscale:
    score: int
    maximum: int
    cutoff: int
    elevated: bool
    rule_id: str


@dataclass(frozen=True)
class FabqScore:
    physical_activity: FabqSubscale | NotScored
    work: FabqSubscale | NotScored


# --- STarT Back (Hill et al. 2008) ---------------------------------------------------------

_SBST_ITEM9_POINT = {
    "not_at_all": 0,
    "slightly": 0,
    "moderately": 0,
    "very_much": 1,
    "extremely": 1,
}
_SBST_RISK_LOINC = {"low": "LA9194-7", "medium": "LA8982-6", "high": "LA9193-9"}
_SBST_CODES = (
    Loinc("91349-1", "STarT Back panel"),
    Loinc("91351-7", "total score"),
    Loinc("91350-9", "psychosocial subscore"),
    Loinc("91352-5", "risk group"),
)


def score_start_back(items: Sequence[bool | str | None]) -> StartBackScore | NotScored:
    """Items 1-8 True/False (agree/disagree); item 9 a vocab.SBST_ITEM9 answer."""
    missing = [str(i + 1) for i, answer in enumerate(items) if answer is None]
    if len(items) != 9 or missing:
        why = f"items unanswered: {', '.join(missing)}" if missing else "needs exactly 9 items"
        return NotScored("start_back", "SBST-SCORE", f"cannot score STarT Back: {why}")
    points = [1 if answer is True else 0 for answer in items[:8]]
    points.append(_SBST_ITEM9_POINT[str(items[8])])
    total, psychosocial = sum(points), sum(points[4:9])
    risk = start_back_risk(total, psychosocial)
    return StartBackScore(total, psychosocial, risk, _SBST_RISK_LOINC[risk], _SBST_CODES)


def start_back_risk(total: int, psychosocial: int) -> str:
    """SBST-RISK: total <= 3 low; otherwise psychosocial <= 3 medium, >= 4 high."""
    if total <= 3:
        return "low"
    return "medium" if psychosocial <= 3 else "high"


# --- Oswestry Disability Index v2.1a (Fairbank & Pynsent 2000) -------------------------------

_ODI_BANDS = (
    (20, "minimal"),
    (40, "moderate"),
    (60, "severe"),
    (80, "crippling"),
    (100, "bed_bound_or_exaggerating"),
)
_ODI_CODES = (Loinc("97908-8", "Oswestry panel"), Loinc("97909-6", "Oswestry score"))


def odi_band(percent: Fraction | float) -> str:
    """ODI-BAND: upper bounds inclusive on the unrounded score (20 is minimal, 20.5 moderate)."""
    return next(name for upper, name in _ODI_BANDS if percent <= upper)


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
        loinc=_ODI_CODES,
        rule_ids=rules,
    )


# --- NPRS and PSFS ----------------------------------------------------------------------------


def score_nprs(value: int | None) -> NprsScore | NotScored:
    if value is None:
        return NotScored("nprs", "NPRS-SCORE", "cannot score NPRS: no rating given")
    if not 0 <= value <= 10:
        return NotScored("nprs", "NPRS-SCORE", f"cannot score NPRS: {value} is outside 0-10")
    return NprsScore(value)


def score_psfs(items: Sequence[PsfsItem] | None) -> PsfsScore | NotScored:
    """PSFS-SCORE (Stratford 1995): the mean of 3-5 patient-chosen activities rated 0-10."""
    if not items or not 3 <= len(items) <= 5:
        count = len(items) if items else 0
        return NotScored(
            "psfs", "PSFS-SCORE", f"cannot score PSFS: needs 3-5 activities, got {count}"
        )
    mean = sum(Fraction(str(i.score)) for i in items) / len(items)
    return PsfsScore(round(float(mean), 2), tuple(items))


# --- FABQ (Waddell 1993) ---------------------------------------------------------------------

FABQ_PA_ITEMS = (2, 3, 4, 5)
FABQ_WORK_ITEMS = (6, 7, 9, 10, 11, 12, 15)


def score_fabq(
    items: Sequence[int | None], settings: Settings = DEFAULT_SETTINGS
) -> FabqScore | NotScored:
    """Both subscales; each is NotScored if one of its own items is unanswered."""
    if len(items) != 16:
        return NotScored("fabq", "FABQ-SCORE", "cannot score FABQ: needs exactly 16 items")
    pa = _fabq_subscale(items, FABQ_PA_ITEMS, "FABQ-PA", settings.fabq_pa_cutoff)
    work = _fabq_subscale(items, FABQ_WORK_ITEMS, "FABQ-WORK", settings.fabq_work_cutoff)
    return FabqScore(physical_activity=pa, work=work)


def _fabq_subscale(
    items: Sequence[int | None], numbers: tuple[int, ...], rule_id: str, cutoff: int
) -> FabqSubscale | NotScored:
    values = [items[n - 1] for n in numbers]
    missing = [str(n) for n, v in zip(numbers, values, strict=True) if v is None]
    if missing:
        reason = f"cannot score {rule_id}: items unanswered: {', '.join(missing)}"
        return NotScored("fabq", rule_id, reason)
    score = sum(v for v in values if v is not None)
    # Elevated is strictly above the cut-off (PA > 14, work > 29 by default).
    return FabqSubscale(score, 6 * len(numbers), cutoff, score > cutoff, rule_id)
