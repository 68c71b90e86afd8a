"""The JSON Schema of a case, built from the vocabularies so keys and schema cannot drift apart.

`unknot assess --schema` prints it; parse.py enforces it with validate.check before converting.
"""

from typing import Any

from . import vocab
from .instruments import REGISTRY
from .instruments.psfs import ITEMS_SCHEMA
from .screen import RULE_DOMAINS
from .settings import Settings

JSON = dict[str, Any]


def _obj(props: JSON, required: tuple[str, ...] = (), description: str = "") -> JSON:
    schema: JSON = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def _int(lo: int, hi: int | None = None, nullable: bool = False) -> JSON:
    schema: JSON = {"type": ["integer", "null"] if nullable else "integer", "minimum": lo}
    if hi is not None:
        schema["maximum"] = hi
    return schema


def _num(lo: float, hi: float | None = None, nullable: bool = False) -> JSON:
    schema: JSON = {"type": ["number", "null"] if nullable else "number", "minimum": lo}
    if hi is not None:
        schema["maximum"] = hi
    return schema


def _enum(values: tuple[str, ...] | list[str], nullable: bool = False) -> JSON:
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": list(values)}


def _set(values: tuple[str, ...] | list[str], nullable: bool = False) -> JSON:
    return {"type": ["array", "null"] if nullable else "array", "items": _enum(values)}


_BOOL: JSON = {"type": ["boolean", "null"]}
_DATE: JSON = {"type": "string", "format": "date"}
_TEXT: JSON = {"type": "string", "minLength": 1, "maxLength": 200}


def _questionnaires() -> JSON:
    return _obj({i.key: i.answers_schema for i in REGISTRY})


def _exam() -> JSON:
    degrees = _num(-30, 180)
    return _obj(
        {
            "hip_internal_rotation": _obj({"left": degrees, "right": degrees}),
            "hypomobile_segment": _BOOL,
            "slr": _obj({"left": degrees, "right": degrees}),
            "aberrant_movement": _BOOL,
            "prone_instability_test": _BOOL,
            "crossed_slr": _BOOL,
            "neuro_deficit": _BOOL,
            "irritability": _enum(vocab.IRRITABILITY, nullable=True),
            "repeated_movements": {
                "type": "object",
                "propertyNames": _enum(vocab.DIRECTIONS),
                "additionalProperties": _enum(vocab.RESPONSES),
            },
            "symptom_course": _enum(vocab.SYMPTOM_COURSE, nullable=True),
            "flare_24h": {**_BOOL, "description": "flare lasting over 24 h after the last dose"},
            "loads_tolerated_weeks": {
                **_num(0, 520, nullable=True),
                "description": "weeks the current exercise loads went without a flare (PROG-2)",
            },
        }
    )


def _reported() -> JSON:
    return _obj(
        {
            "source": _TEXT,
            "odi_percent": _num(0, 100),
            "start_back_risk": _enum(("low", "medium", "high")),
            "nprs": _int(0, 10),
        },
        ("source",),
        "scores recorded elsewhere (e.g. a referral letter), used only where the same measure "
        "was not taken here, and marked as such",
    )


def _clearance() -> JSON:
    rules = {"type": "array", "items": _enum(sorted(RULE_DOMAINS)), "maxItems": 20}
    findings = {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 100}
    return _obj(
        {
            "awaiting": {**rules, "description": "referrals not yet cleared: the episode is "
                         "on hold (SCREEN-2)"},
            "cleared": {**rules, "description": "referral rules a physician has cleared"},
            "cleared_findings": {**findings, "description": "the findings they were cleared "
                                 "with; new findings raise the referral again"},
            "restrictions": {**_set(list(vocab.RESTRICTIONS)), "description": "what the "
                             "physician asked to avoid"},
        },
        description="medical clearance after a referral (SCREEN-2)",
    )  # fmt: skip


def _settings() -> JSON:
    props: JSON = {}
    for name, kind in Settings.field_types().items():
        props[name] = _int(0) if kind in (int, "int") else _num(0)
    return _obj(props, description="overrides of the clinical thresholds (see docs/care.md)")


def case_schema() -> JSON:
    """The JSON Schema (2020-12) of one case as `unknot assess` reads it."""
    red_flags = _obj(
        {key: {**_BOOL, "description": text} for key, text in vocab.RED_FLAGS.items()},
        description="screening answers; leave a key out (or null) if it was not asked",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "unknot care case",
        **_obj(
            {
                "settings": _settings(),
                "patient": _obj(
                    {
                        "age": _int(0, 120),
                        "date_of_birth": _DATE,
                        "sex": _enum(vocab.SEXES),
                        "pregnant": {"type": "boolean"},
                        "pregnancy_weeks": _int(0, 45),
                        "postpartum_weeks": {
                            **_int(0, 520, nullable=True),
                            "description": "weeks since giving birth, when that applies",
                        },
                        "bone_density_t_score": {
                            **_num(-7, 5, nullable=True),
                            "description": "lowest DXA T-score on record",
                        },
                    }
                ),
                "visit": _obj({"kind": _enum(vocab.VISIT_KINDS), "number": _int(1), "date": _DATE}),
                "episode": _obj(
                    {
                        "onset_date": _DATE,
                        "duration_days": _int(0, 36500),
                        "causes": _set(vocab.CAUSES),
                        "pain_side": _enum(vocab.PAIN_SIDES, nullable=True),
                        "below_knee": _BOOL,
                        "distal_to_buttock": {
                            **_BOOL,
                            "description": "symptoms reach the thigh or further",
                        },
                        "spasm": _BOOL,
                        "care_received": _obj(
                            {"weeks": _int(0, 520), "visits": _int(0, 500)},
                            description="care for this episode already received, here or elsewhere",
                        ),
                    }
                ),
                "red_flags": red_flags,
                "conditions": {
                    **_set(list(vocab.CONDITIONS), nullable=True),
                    "description": "leave out (or null) if the health history was not asked",
                },
                "medicines": {
                    **_set(list(vocab.MEDICINES), nullable=True),
                    "description": "leave out (or null) if the medicines were not asked",
                },
                "blood_pressure": _obj(
                    {"systolic": _int(50, 300), "diastolic": _int(20, 200)},
                    ("systolic", "diastolic"),
                ),
                "questionnaires": _questionnaires(),
                "exam": _exam(),
                "lifestyle": _obj(
                    {
                        "work": _set(vocab.WORK_DEMANDS),
                        "activity_level": _enum(vocab.ACTIVITY_LEVELS, nullable=True),
                        "goals": {"type": "array", "items": _TEXT, "maxItems": 10},
                        "home_minutes_per_day": _int(0, 240, nullable=True),
                        "visits_per_week": _int(0, 7, nullable=True),
                        "goals_need_loading": {
                            **_BOOL,
                            "description": "work, sport or lifting at home call for heavier "
                            "loading (PROG-2)",
                        },
                    }
                ),
                "previous": _obj(
                    {
                        "nprs": _num(0, 10),
                        "odi": _num(0, 100),
                        "psfs": ITEMS_SCHEMA,
                        "psfs_mean": _num(0, 10),
                        "triage_tier": _enum(
                            [
                                "EMERGENCY_SAME_DAY",
                                "URGENT_REFERRAL",
                                "ROUTINE_REFERRAL",
                                "SCREENING_INCOMPLETE",
                                "MONITOR",
                                "NONE",
                            ]
                        ),
                        "phase": _enum(["symptom_relief", "active_care", "return_to_activity"]),
                    },
                    description="scores recorded at an earlier time point, for change",
                ),
                "reported": _reported(),
                "clearance": _clearance(),
            }
        ),
    }
