"""JSON-shaped dict -> Case and Settings, or CaseError naming the field and why."""

import datetime
from collections.abc import Mapping
from typing import Any, cast

from .instruments import REGISTRY
from .instruments.psfs import parse_items
from .model import (
    BloodPressure,
    Case,
    Clearance,
    Episode,
    Exam,
    Lifestyle,
    Patient,
    Previous,
    Questionnaires,
    RedFlags,
    Reported,
    Visit,
)
from .schema import case_schema
from .settings import Settings
from .validate import SchemaError, check

Raw = Mapping[str, Any]


class CaseError(ValueError):
    """The case cannot be read: `field` (a dotted path) is wrong for `reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def parse_case(data: object) -> Case:
    """Check `data` against the case schema and build the Case. Raises CaseError."""
    raw = _checked(data)
    visit_date = _date(raw.get("visit", {}).get("date"))
    return Case(
        patient=_patient(raw.get("patient", {}), visit_date),
        visit=Visit(**{k: v for k, v in raw.get("visit", {}).items() if k != "date"}),
        episode=_episode(raw.get("episode", {}), visit_date),
        red_flags=_red_flags(raw.get("red_flags", {})),
        conditions=frozenset(raw.get("conditions") or ()),
        medicines=frozenset(raw.get("medicines") or ()),
        conditions_asked=raw.get("conditions") is not None,
        medicines_asked=raw.get("medicines") is not None,
        blood_pressure=_blood_pressure(raw.get("blood_pressure")),
        questionnaires=_questionnaires(raw.get("questionnaires", {})),
        exam=_exam(raw.get("exam", {})),
        lifestyle=_lifestyle(raw.get("lifestyle", {})),
        previous=_previous(raw.get("previous")),
        reported=_reported(raw.get("reported")),
        clearance=_clearance(raw.get("clearance")),
    )


def parse_settings(data: object) -> Settings:
    """The `settings` key of a case over the defaults. Raises CaseError."""
    raw = _checked(data).get("settings", {})
    types = Settings.field_types()
    values: dict[str, Any] = {
        k: (float(v) if types[k] in (float, "float") else v) for k, v in raw.items()
    }
    return Settings(**values)


def _checked(data: object) -> Raw:
    try:
        check(data, case_schema())
    except SchemaError as error:
        raise CaseError(error.field or "(case)", error.reason) from None
    return cast(Raw, data)  # the schema's top-level type is object


def _date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _patient(raw: Raw, visit_date: datetime.date | None) -> Patient:
    age = raw.get("age")
    if "date_of_birth" in raw:
        if age is not None:
            raise CaseError("patient.date_of_birth", "give either age or date_of_birth, not both")
        age = _age_on(_date(raw["date_of_birth"]), visit_date)
    if raw.get("pregnancy_weeks") is not None and not raw.get("pregnant", False):
        raise CaseError("patient.pregnancy_weeks", "given but patient.pregnant is not true")
    return Patient(
        age=age,
        sex=raw.get("sex", "unknown"),
        pregnant=raw.get("pregnant", False),
        pregnancy_weeks=raw.get("pregnancy_weeks"),
        postpartum_weeks=raw.get("postpartum_weeks"),
        bone_density_t_score=raw.get("bone_density_t_score"),
    )


def _age_on(birth: datetime.date | None, on: datetime.date | None) -> int:
    if birth is None or on is None:
        raise CaseError("visit.date", "is required to compute the age from date_of_birth")
    if birth > on:
        raise CaseError("patient.date_of_birth", "is after the visit date")
    had_birthday = (on.month, on.day) >= (birth.month, birth.day)
    return on.year - birth.year - (0 if had_birthday else 1)


def _episode(raw: Raw, visit_date: datetime.date | None) -> Episode:
    days = raw.get("duration_days")
    if "onset_date" in raw:
        if days is not None:
            raise CaseError("episode.onset_date", "give either duration_days or onset_date")
        onset = _date(raw["onset_date"])
        if visit_date is None or onset is None:
            raise CaseError("visit.date", "is required to compute the duration from onset_date")
        if onset > visit_date:
            raise CaseError("episode.onset_date", "is after the visit date")
        days = (visit_date - onset).days
    below, distal = raw.get("below_knee"), raw.get("distal_to_buttock")
    if below is True and distal is False:
        raise CaseError("episode.distal_to_buttock", "is false but the symptoms go below the knee")
    care = raw.get("care_received", {})
    return Episode(
        duration_days=days,
        causes=tuple(dict.fromkeys(raw.get("causes", ()))),
        pain_side=raw.get("pain_side"),
        below_knee=below,
        distal_to_buttock=True if below is True else distal,
        spasm=raw.get("spasm"),
        care_weeks=care.get("weeks"),
        care_visits=care.get("visits"),
    )


def _red_flags(raw: Raw) -> RedFlags:
    answered = frozenset(k for k, v in raw.items() if v is not None)
    return RedFlags(positive=frozenset(k for k, v in raw.items() if v), answered=answered)


def _blood_pressure(raw: Raw | None) -> BloodPressure | None:
    if raw is None:
        return None
    if raw["diastolic"] >= raw["systolic"]:
        raise CaseError("blood_pressure.diastolic", "must be lower than the systolic pressure")
    return BloodPressure(systolic=raw["systolic"], diastolic=raw["diastolic"])


def _questionnaires(raw: Raw) -> Questionnaires:
    """Each registered questionnaire's answers, read by its own instrument (ODI-MULTI in odi)."""
    given = {i.key: i.parse(raw[i.key]) for i in REGISTRY if raw.get(i.key) is not None}
    named = Questionnaires.named()
    return Questionnaires(
        **{key: answers for key, answers in given.items() if key in named},
        others=tuple((key, answers) for key, answers in given.items() if key not in named),
    )


def _exam(raw: Raw) -> Exam:
    hip = raw.get("hip_internal_rotation", {})
    slr = raw.get("slr", {})
    return Exam(
        hip_ir_left=hip.get("left"),
        hip_ir_right=hip.get("right"),
        hypomobile_segment=raw.get("hypomobile_segment"),
        slr_left=slr.get("left"),
        slr_right=slr.get("right"),
        aberrant_movement=raw.get("aberrant_movement"),
        prone_instability_test=raw.get("prone_instability_test"),
        crossed_slr=raw.get("crossed_slr"),
        neuro_deficit=raw.get("neuro_deficit"),
        irritability=raw.get("irritability"),
        repeated_movements=tuple(sorted(raw.get("repeated_movements", {}).items())),
        symptom_course=raw.get("symptom_course"),
        flare_24h=raw.get("flare_24h"),
        loads_tolerated_weeks=raw.get("loads_tolerated_weeks"),
    )


def _lifestyle(raw: Raw) -> Lifestyle:
    return Lifestyle(
        work=tuple(dict.fromkeys(raw.get("work", ()))),
        activity_level=raw.get("activity_level"),
        goals=tuple(raw.get("goals", ())),
        home_minutes_per_day=raw.get("home_minutes_per_day"),
        visits_per_week=raw.get("visits_per_week"),
        goals_need_loading=raw.get("goals_need_loading"),
    )


def _previous(raw: Raw | None) -> Previous | None:
    if raw is None:
        return None
    return Previous(
        nprs=raw.get("nprs"),
        odi=raw.get("odi"),
        psfs=parse_items(raw.get("psfs")),
        psfs_mean=raw.get("psfs_mean"),
        triage_tier=raw.get("triage_tier"),
        phase=raw.get("phase"),
    )


def _reported(raw: Raw | None) -> Reported | None:
    if raw is None:
        return None
    return Reported(
        source=raw["source"],
        odi_percent=raw.get("odi_percent"),
        start_back_risk=raw.get("start_back_risk"),
        nprs=raw.get("nprs"),
    )


def _clearance(raw: Raw | None) -> Clearance:
    if raw is None:
        return Clearance()
    return Clearance(
        awaiting=tuple(dict.fromkeys(raw.get("awaiting", ()))),
        cleared=frozenset(raw.get("cleared", ())),
        cleared_findings=frozenset(raw.get("cleared_findings", ())),
        restrictions=frozenset(raw.get("restrictions", ())),
    )
