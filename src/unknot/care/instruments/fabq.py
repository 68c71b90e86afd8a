"""Fear-Avoidance Beliefs Questionnaire (Waddell 1993): rules FABQ-PA and FABQ-WORK."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..settings import DEFAULT_SETTINGS, Settings
from .base import (
    NOT_RECORDED,
    Details,
    Instrument,
    Item,
    Measure,
    NotScored,
    Page,
    Result,
    answer_list,
    as_tuple,
    whole,
)

PA_ITEMS: Final = (2, 3, 4, 5)
WORK_ITEMS: Final = (6, 7, 9, 10, 11, 12, 15)
PA_ASKED: Final = 5  # items 1-5 are about physical activity, 6-16 about work

INTRO: Final = (
    "Here are some things other people have told us about their pain. For each one, choose how "
    "much physical activity (bending, lifting, walking, driving) affects or would affect your "
    "back pain: 0 means you completely disagree, 6 that you completely agree."
)
WORK_INTRO: Final = (
    "These are about your usual work, paid or not. If you are not working, answer about the "
    "work you did last, or leave them blank."
)
SCALE: Final = (
    (0, "0 · completely disagree"),
    (1, "1"),
    (2, "2"),
    (3, "3 · unsure"),
    (4, "4"),
    (5, "5"),
    (6, "6 · completely agree"),
)
# Our own plain words, in the published item order (the subscales are by position).
ITEMS: Final[tuple[str, ...]] = (
    "My pain was brought on by physical activity.",
    "Physical activity makes my pain worse.",
    "Physical activity might harm my back.",
    "I should not do physical activities that make, or might make, my pain worse.",
    "I cannot do physical activities that make, or might make, my pain worse.",
    "My pain was caused by my work, or by an accident at work.",
    "My work made my pain worse.",
    "I have a claim for compensation because of my pain.",
    "My work is too heavy for me.",
    "My work makes, or would make, my pain worse.",
    "My work might harm my back.",
    "With my pain as it is now, I should not do my normal work.",
    "With my pain as it is now, I cannot do my normal work.",
    "I cannot do my normal work until my pain is treated.",
    "I do not think I will be back at my normal work within 3 months.",
    "I do not think I will ever be able to go back to that work.",
)


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


def score_fabq(
    items: Sequence[int | None], settings: Settings = DEFAULT_SETTINGS
) -> FabqScore | NotScored:
    """Both subscales; each is NotScored if one of its own items is unanswered."""
    if len(items) != 16:
        return NotScored("fabq", "FABQ-SCORE", "cannot score FABQ: needs exactly 16 items")
    pa = _subscale(items, PA_ITEMS, "FABQ-PA", settings.fabq_pa_cutoff)
    work = _subscale(items, WORK_ITEMS, "FABQ-WORK", settings.fabq_work_cutoff)
    return FabqScore(physical_activity=pa, work=work)


def _subscale(
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


def _score(items: Any, settings: Settings) -> FabqScore | NotScored:
    return score_fabq(items, settings)


def _results(score: FabqScore) -> tuple[Result, ...]:
    rows = []
    for key, part in (("fabq_pa", score.physical_activity), ("fabq_work", score.work)):
        if not isinstance(part, NotScored):
            details = {"maximum": part.maximum, "cutoff": part.cutoff, "elevated": part.elevated,
                       "rule": part.rule_id}  # fmt: skip
            rows.append(Result(key, part.score, "", details))
    return tuple(rows)


def _summary(details: Details) -> str:
    if "elevated" not in details:
        return ""
    of = f"{details.get('cutoff')} of {details.get('maximum')}"
    return f"elevated (over {of})" if details["elevated"] else f"not elevated (cut-off {of})"


def _interpretation(details: Details) -> str:
    if "elevated" not in details:
        return ""
    word = "above" if details["elevated"] else "not above"
    return f"{word} the cut-off of {details.get('cutoff')}"


INSTRUMENT = Instrument(
    key="fabq",
    name="Fear-Avoidance Beliefs Questionnaire",
    short="FABQ",
    label="FABQ",
    plain="activity, work and your pain",
    source="Waddell et al., Pain 1993; cut-offs: George et al.",
    licence=NOT_RECORDED,
    page=Page(
        "beliefs",
        "Activity, work and your pain",
        "How you see the link between activity, work and your pain. There are no wrong answers.",
    ),
    intro=INTRO,
    items=tuple(
        Item(str(n), text, "choice", f"item_{n}", SCALE, optional=n > PA_ASKED)
        for n, text in enumerate(ITEMS, start=1)
    ),
    measures=(
        Measure(
            "fabq_pa",
            "FABQ physical activity",
            0,
            24,
            summary=_summary,
            interpretation=_interpretation,
        ),
        # The work questions do not fit everyone: FABQ counts as scored without them.
        Measure(
            "fabq_work",
            "FABQ work",
            0,
            42,
            required=False,
            summary=_summary,
            interpretation=_interpretation,
        ),
    ),
    answers_schema=answer_list(
        whole(0, 6, nullable=True), 16, "FABQ items 1-16 in order, each 0-6"
    ),
    parse=as_tuple,
    score=_score,
    results=_results,
)
