"""The answers as the therapist reads them: each question with the words the person chose.

Built from the same forms the person filled in, so question and answer wording can never
drift apart between the intake and its review.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms

from unknot.records.intake import sections
from unknot.records.models import Intake

NOT_ANSWERED = "not answered"
NONE_TICKED = "none of these"


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    answered: bool


@dataclass(frozen=True)
class ReadableSection:
    title: str
    done: bool
    answers: list[Answer]


def _words(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return ""
    choices = getattr(field, "choices", None)
    if not choices:
        return str(value)
    labels = {str(key): str(label) for key, label in choices}
    values = value if isinstance(value, list | tuple) else [value]
    return "; ".join(labels.get(str(v), str(v)) for v in values)


def _answers(section: sections.Section, intake: Intake, today: dt.date) -> list[Answer]:
    initial = section.form.initial_from(intake.answers, intake.notes)
    form = section.form(today=today)
    found = []
    for name, field in form.fields.items():
        value = initial.get(name)
        text = _words(field, value)
        if value == [] and name in form.none_ticked_is_an_answer:
            text = NONE_TICKED
        found.append(Answer(str(field.label), text or NOT_ANSWERED, bool(text)))
    return found


def sections_of(intake: Intake, today: dt.date) -> list[ReadableSection]:
    return [
        ReadableSection(s.title, s.slug in intake.sections_done, _answers(s, intake, today))
        for s in sections.SECTIONS
    ]
