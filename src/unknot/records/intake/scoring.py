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
from unknot.care import labels
from unknot.care.scores import FabqScore, NotScored, NprsScore, OdiScore, PsfsScore, StartBackScore
from unknot.care.triage import EMERGENCY
from unknot.records.intake.answers import Answers, copied
from unknot.records.models import Instrument, Intake

# What a person reads when a questionnaire could not be scored (never the core's technical reason).
QUESTIONNAIRE_NAMES = {
    "start_back": "how your back affects you",
    "odi": "what you can do at the moment",
    "nprs": "your pain today",
    "psfs": "your own activities",
    "fabq": "activity, work and your pain",
}


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
    instrument: str
    value: float
    loinc: str
    details: dict[str, Any]

    @property
    def summary(self) -> str:
        """The details in words for the review page: band, subscore, risk, items, cut-off."""
        return "; ".join(part for part in (_detail(self.details, key) for key in self.details)
                         if part)  # fmt: skip


def _detail(details: dict[str, Any], key: str) -> str:
    value = details[key]
    words = {
        "band": lambda: labels.label(labels.ODI_BAND_LABELS, value),
        "sum": lambda: f"raw sum {value}",
        "sections_missing": lambda: f"{value} section(s) unanswered" if value else "",
        "items": lambda: ", ".join(f"{i['activity']} ({i['score']:g})" for i in value),
        "psychosocial": lambda: f"psychosocial subscore {value}",
        "risk": lambda: f"{labels.label(labels.RISK_LABELS, value).lower()} risk",
        "elevated": lambda: (f"elevated (over {details.get('cutoff')} of "
                             f"{details.get('maximum')})") if value else (
            f"not elevated (cut-off {details.get('cutoff')} of {details.get('maximum')})"),
    }  # fmt: skip
    return words[key]() if key in words else ""  # codes (LOINC, rule ids) stay out of the text


def scores_for(intake: Intake, today: dt.date) -> care.Scores:
    return care.score_all(care.parse_case(case_data(intake.answers, intake, today)))


def _loinc(score: Any, meaning: str) -> str:
    return next((code.code for code in score.loinc if code.meaning == meaning), "")


def _fabq_rows(score: FabqScore) -> list[ScoreRow]:
    rows = []
    for instrument, part in (
        (Instrument.FABQ_PA, score.physical_activity),
        (Instrument.FABQ_WORK, score.work),
    ):
        if not isinstance(part, NotScored):
            details = {"maximum": part.maximum, "cutoff": part.cutoff, "elevated": part.elevated}
            rows.append(ScoreRow(instrument, part.score, "", details | {"rule": part.rule_id}))
    return rows


def score_rows(scores: care.Scores) -> list[ScoreRow]:
    """One row per measure the core could score; nothing for what it refused."""
    rows: list[ScoreRow] = []
    if isinstance(scores.nprs, NprsScore):
        rows.append(ScoreRow(Instrument.NPRS, scores.nprs.score, scores.nprs.loinc[0].code, {}))
    if isinstance(scores.odi, OdiScore):
        odi = scores.odi
        details = {"band": odi.band, "sum": odi.sum, "sections_missing": odi.sections_missing}
        rows.append(ScoreRow(Instrument.ODI, odi.percent, _loinc(odi, "Oswestry score"), details))
    if isinstance(scores.psfs, PsfsScore):
        items = [{"activity": i.activity, "score": i.score} for i in scores.psfs.items]
        rows.append(ScoreRow(Instrument.PSFS, scores.psfs.mean, "", {"items": items}))
    if isinstance(scores.start_back, StartBackScore):
        sb = scores.start_back
        details = {
            "psychosocial": sb.psychosocial,
            "risk": sb.risk,
            "risk_loinc": sb.risk_answer_loinc,
        }
        rows.append(ScoreRow(Instrument.START_BACK, sb.total, _loinc(sb, "total score"), details))
    if isinstance(scores.fabq, FabqScore):
        rows.extend(_fabq_rows(scores.fabq))
    return rows


def not_scored(scores: care.Scores) -> list[str]:
    """Plain names of the questionnaires that could not be scored (unanswered or incomplete)."""
    missing = []
    for key, name in QUESTIONNAIRE_NAMES.items():
        score = getattr(scores, key)
        partly = isinstance(score, FabqScore) and isinstance(score.physical_activity, NotScored)
        if score is None or isinstance(score, NotScored) or partly:
            missing.append(name)
    return missing


def not_scored_reasons(scores: care.Scores) -> list[str]:
    """The core's own reasons, for the therapist."""
    reasons = []
    for key in QUESTIONNAIRE_NAMES:
        score = getattr(scores, key)
        if score is None:
            reasons.append(f"{labels.label(labels.MEASURE_LABELS, key)}: not answered")
        elif isinstance(score, NotScored):
            reasons.append(score.reason)
        elif isinstance(score, FabqScore):
            parts = (score.physical_activity, score.work)
            reasons.extend(p.reason for p in parts if isinstance(p, NotScored))
    return reasons
