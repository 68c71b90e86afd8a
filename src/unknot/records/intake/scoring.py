"""From stored answers to the care core: the case it reads, its triage and its scores.

The stored answers hold only what the person said; the age and the visit date are added
here, at the moment of use, so the record never goes stale (an age written in March is
wrong by June) and no date of birth is copied into the answers.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from unknot import care
from unknot.care import instruments, labels
from unknot.care.instruments import base
from unknot.care.triage import EMERGENCY
from unknot.records.intake.answers import Answers, copied
from unknot.records.models import Intake


def clinic_today(intake: Intake, now: dt.datetime) -> dt.date:
    return timezone.localdate(now, zoneinfo.ZoneInfo(intake.episode.clinic.time_zone))


def visit_date(intake: Intake, today: dt.date) -> dt.date:
    """The first visit's date; never before today, so an onset date up to today always fits."""
    appointment = intake.appointment
    if appointment is None:
        return today
    zone = zoneinfo.ZoneInfo(appointment.clinic.time_zone)
    return max(today, appointment.start.astimezone(zone).date())


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - (0 if (on.month, on.day) >= (birth.month, birth.day) else 1)


def with_visit(stored: Answers, intake: Intake, today: dt.date) -> Answers:
    """The stored shape: the answers plus the visit they are for (an onset date needs it)."""
    answers = copied(stored)
    answers["visit"] = {
        "kind": "initial",
        "number": 1,
        "date": visit_date(intake, today).isoformat(),
    }
    return answers


def case_data(stored: Answers, intake: Intake, today: dt.date) -> dict[str, Any]:
    """What the core reads: the stored answers with the person's age added."""
    data = with_visit(stored, intake, today)
    birth = intake.episode.patient.date_of_birth
    age = _age(birth, today)
    if 0 <= age <= 120:
        data.setdefault("patient", {})["age"] = age
    return data


def triage_for(intake: Intake, today: dt.date) -> care.Triage:
    return care.triage(care.parse_case(case_data(intake.answers, intake, today)))


def is_emergency(result: care.Triage) -> bool:
    return result.tier == EMERGENCY


@dataclass(frozen=True)
class ScoreRow:
    instrument: str  # the measure's key (records.Instrument)
    value: float
    loinc: str
    details: dict[str, Any]

    @property
    def summary(self) -> str:
        """The details in words for the review page: band, subscore, risk, items, cut-off."""
        return instruments.measure(self.instrument).summary(self.details)


def scores_for(intake: Intake, today: dt.date) -> care.Scores:
    return care.score_all(care.parse_case(case_data(intake.answers, intake, today)))


def score_rows(scores: care.Scores) -> list[ScoreRow]:
    """One row per measure the core could score; nothing for what it refused."""
    return [
        ScoreRow(row.measure, row.value, row.loinc, row.details)
        for instrument in instruments.REGISTRY
        for row in instrument.rows(scores.get(instrument.key))
    ]


def not_scored(scores: care.Scores) -> list[str]:
    """Plain names of the questionnaires that could not be scored (unanswered or incomplete)."""
    return [i.plain for i in instruments.REGISTRY if not i.is_scored(scores.get(i.key))]


def not_scored_reasons(scores: care.Scores) -> list[str]:
    """The core's own reasons, for the therapist."""
    reasons = []
    for instrument in instruments.REGISTRY:
        score = scores.get(instrument.key)
        if score is None:
            reasons.append(f"{labels.label(labels.MEASURE_LABELS, instrument.key)}: not answered")
        reasons.extend(base.reasons(score))
    return reasons
