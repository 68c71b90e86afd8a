"""The safety questions asked before an online booking, judged by the care core's triage.

The questions are plain-language versions of the core's red-flag keys (`unknot.care.vocab`).
The rules themselves live in `unknot.care.triage`; this module only turns yes/no answers into
the minimal case the core reads, so the booking form and the clinic apply the same rules.
This module stores nothing. When the answer is "call first", the booking keeps only the questions
that led to it (`ScreenResult.yes_questions`), for the staff who make the call
(`unknot.booking.safety_calls`); every other answer lives for the length of one request.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from unknot import care
from unknot.care.triage import EMERGENCY, NONE, TIERS, URGENT


@dataclass(frozen=True)
class Question:
    name: str  # the form field name
    text: str  # what the person reads
    red_flags: tuple[str, ...] = ()  # care core red-flag keys a "yes" sets
    conditions: tuple[str, ...] = ()  # care core condition keys a "yes" adds


QUESTIONS: tuple[Question, ...] = (
    Question(
        "saddle_numbness",
        "Is the skin between your legs or around your bottom numb or tingling "
        "(the area that would touch a bicycle saddle)?",
        red_flags=("saddle_anaesthesia",),
    ),
    Question(
        "bladder",
        "Since your back pain started, have you had new trouble passing urine, "
        "or leaked urine without meaning to?",
        red_flags=("bladder_dysfunction",),
    ),
    Question(
        "bowel",
        "Since your back pain started, have you lost control of your bowels, "
        "or not felt when you need to go?",
        red_flags=("bowel_dysfunction",),
    ),
    Question(
        "leg_weakness",
        "Is one or both of your legs weak in a way that is new and getting worse "
        "(for example, your foot drags or your knee gives way)?",
        red_flags=("progressive_motor_deficit",),
    ),
    Question(
        "fever",
        "Do you have a fever, or feel very unwell (hot, shivery, or sick) "
        "as well as the back pain?",
        red_flags=("fever_or_unwell",),
    ),
    Question(
        "weak_immunity",
        "Is your immune system weakened, by an illness or by medicines "
        "(for example steroid tablets or chemotherapy)?",
        red_flags=("immunosuppression",),
    ),
    Question(
        "recent_infection",
        "Have you had an infection in the last few weeks, for example of the bladder or the skin?",
        red_flags=("recent_infection",),
    ),
    Question(
        "serious_accident",
        "Did your back pain start after a serious accident or fall "
        "(for example a car crash or a fall from a height)?",
        # A serious injury with back pain is treated as possible spine damage: the core's
        # trauma rule needs both keys, and a person in pain after a crash has midline pain.
        red_flags=("major_trauma", "midline_pain"),
    ),
    Question(
        "fainting",
        "Have you fainted or collapsed with this pain?",
        red_flags=("collapse",),
    ),
    Question(
        "cancer",
        "Have you ever had cancer?",
        conditions=("cancer_history",),
    ),
    Question(
        "weight_loss",
        "Have you lost weight recently without trying?",
        red_flags=("unexplained_weight_loss",),
    ),
    Question(
        "night_pain",
        "Do you have pain at night that does not ease whichever way you lie?",
        red_flags=("night_pain_persistent",),
    ),
)


@dataclass(frozen=True)
class ScreenResult:
    tier: str
    fired_rule_ids: tuple[str, ...]
    # The questions answered "yes" that led to the tier, in the order they were asked.
    yes_questions: tuple[Question, ...] = ()

    @property
    def emergency(self) -> bool:
        """Stop the booking: the person needs an emergency department, not an appointment."""
        return self.tier == EMERGENCY

    @property
    def call_first(self) -> bool:
        """Booking may go ahead, but a therapist should speak to the person beforehand."""
        return self.tier == URGENT


def _case_data(answers: Mapping[str, bool]) -> dict[str, Any]:
    red_flags: dict[str, bool] = {}
    conditions: list[str] = []
    for question in QUESTIONS:
        said_yes = bool(answers[question.name])
        for key in question.red_flags:
            red_flags[key] = red_flags.get(key, False) or said_yes
        if said_yes:
            conditions.extend(question.conditions)
    # No age is sent: none of these questions' rules depends on it, and less data is better.
    return {
        "visit": {"kind": "initial", "number": 1},
        "red_flags": red_flags,
        "conditions": sorted(set(conditions)),
    }


def _triage(answers: Mapping[str, bool]) -> Any:
    return care.triage(care.parse_case(_case_data(answers)))


def _more_urgent_or_same(tier: str, than: str) -> bool:
    return TIERS.index(tier) <= TIERS.index(than)


def _contributed(answers: Mapping[str, bool], question: Question, tier: str) -> bool:
    """A "yes" led to the tier if the tier drops without it, or if it reaches the tier alone.

    The first catches rules that need two answers together; the second, answers that each
    fire the same rule (cancer and weight loss both give the cancer rule), where taking one
    away changes nothing. The core is asked, so no rule is copied here.
    """
    without = {**answers, question.name: False}
    if not _more_urgent_or_same(_triage(without).tier, tier):
        return True
    alone = {q.name: q.name == question.name for q in QUESTIONS}
    return _more_urgent_or_same(_triage(alone).tier, tier)


def _led_to(answers: Mapping[str, bool], tier: str) -> tuple[Question, ...]:
    if tier == NONE:
        return ()
    return tuple(q for q in QUESTIONS if answers[q.name] and _contributed(answers, q, tier))


def screen(answers: Mapping[str, bool]) -> ScreenResult:
    """Runs the care core's triage on the answers (every question answered yes or no)."""
    result = _triage(answers)
    fired = tuple(rule.rule_id for rule in result.fired)
    return ScreenResult(result.tier, fired, _led_to(answers, result.tier))
