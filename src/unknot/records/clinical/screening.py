"""SCREEN-1 in the record: how far the red-flag screen of an episode has got, domain by domain.

The care core decides (`care.triage(case).screen`: per domain not asked, asked and clear, or
flagged). This module only builds the case the way the plan of care reads it (the intake's
answers, what the therapist asked in person at the evaluation, the exam, the age) and puts the
core's keys into words for the pages and for the messages that refuse "reviewed" and
"complete". An unanswered question is unknown, never "no": a domain stays open until every
question it needs has an answer.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from unknot import care
from unknot.care import labels
from unknot.care.screen import AGE, HISTORY
from unknot.records.clinical import mapping
from unknot.records.models import Evaluation, Intake

# What a domain needs besides its own questions (vocab.DOMAIN_NEEDS), in words.
NEED_LABELS = {HISTORY: "health history", AGE: "age"}


@dataclass(frozen=True)
class DomainRow:
    """One domain as a page shows it: labels only, never the core's keys."""

    label: str
    status: str  # the core's key, for a CSS class
    status_label: str
    still_open: tuple[str, ...]  # the questions without an answer, in words
    rules: tuple[str, ...]  # the rule ids of this domain that fired


def question_label(key: str) -> str:
    return NEED_LABELS.get(key) or labels.fact_label(key)


def screen_of(
    answers: Mapping[str, Any],
    birth: dt.date,
    day: dt.date,
    *,
    in_person: Mapping[str, Any] | None = None,
    exam: Mapping[str, Any] | None = None,
) -> care.Screen:
    """The core's screen of the record, read as the plan reads it. Raises care.CaseError."""
    data = mapping.plan_case(answers, exam or {}, birth, day, in_person=in_person or {})
    return care.triage(care.parse_case(data)).screen


def record_screen(
    answers: Mapping[str, Any], birth: dt.date, day: dt.date, evaluation: Evaluation | None
) -> care.Screen:
    """The intake's answers with what the latest evaluation asked in person (and its exam)."""
    if evaluation is None:
        return screen_of(answers, birth, day)
    return screen_of(answers, birth, day, in_person=evaluation.in_person, exam=evaluation.exam)


def intake_screen(intake: Intake, today: dt.date, evaluation: Evaluation | None) -> care.Screen:
    """The screen an intake review reads: its answers, with `evaluation` (the episode's latest)
    over them, and the age on `today`. Raises care.CaseError."""
    return record_screen(intake.answers, intake.episode.patient.date_of_birth, today, evaluation)


def rows(screen: care.Screen) -> list[DomainRow]:
    return [
        DomainRow(
            label=labels.DOMAIN_LABELS[d.domain],
            status=d.status,
            status_label=labels.DOMAIN_STATUS_LABELS[d.status],
            still_open=tuple(question_label(k) for k in d.open_questions),
            rules=d.rules,
        )
        for d in screen.domains
    ]


def open_domains_text(screen: care.Screen) -> str:
    """The open domains in a sentence: "cauda equina, fracture"."""
    return ", ".join(labels.DOMAIN_LABELS[d].lower() for d in screen.open_domains)
