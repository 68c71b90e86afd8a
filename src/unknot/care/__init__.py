"""unknot.care: the pure clinical core (no Django, no I/O, no clock).

    case = parse_case(data)              # CaseError(field, reason) on bad input
    result = assess(case, parse_settings(data))
    to_json(result)                      # JSON-ready dict
    parse_plan(to_json(result)["plan"])  # the stored plan back as result.plan; StoredPlanError

The individual rules are importable too: triage, score_*, classify, safety, check_progression,
cpt_units. Every result carries the rule ids of docs/care.md. The outcome questionnaires, one
module each, are in care.instruments (INSTRUMENTS is their registry).
"""

from . import labels, vocab
from .assess import (
    Assessment,
    Scores,
    assess,
    changes,
    goals_need_loading,
    home_programme_for,
    score_all,
)
from .change import Change
from .classify import classify, directional_preference, manipulation_rule, stabilisation_rule
from .codes import CptUnits, cpt_units, diagnosis_codes, units_for_minutes
from .instruments import REGISTRY as INSTRUMENTS
from .instruments.base import NotScored
from .instruments.fabq import score_fabq
from .instruments.nprs import nprs_change, score_nprs
from .instruments.odi import odi_band, odi_change, score_odi
from .instruments.psfs import psfs_change, psfs_item_changes, score_psfs
from .instruments.start_back import score_start_back, start_back_risk
from .library import Exercise, exercise_library
from .model import Case
from .output import to_json
from .parse import CaseError, parse_case, parse_settings
from .progression import ProgressionSuggestion, ProgressPoint, check_progression
from .safety import ExerciseVerdict, Verdict, exercise_safety, safety
from .schema import case_schema
from .screen import Screen
from .settings import DEFAULT_SETTINGS, Settings
from .stored import StoredPlanError, parse_plan
from .triage import TIERS, Triage, triage

__all__ = [
    "DEFAULT_SETTINGS",
    "INSTRUMENTS",
    "TIERS",
    "Assessment",
    "Case",
    "CaseError",
    "Change",
    "CptUnits",
    "Exercise",
    "ExerciseVerdict",
    "NotScored",
    "ProgressPoint",
    "ProgressionSuggestion",
    "Scores",
    "Screen",
    "Settings",
    "StoredPlanError",
    "Triage",
    "Verdict",
    "assess",
    "case_schema",
    "changes",
    "check_progression",
    "classify",
    "cpt_units",
    "diagnosis_codes",
    "directional_preference",
    "exercise_library",
    "exercise_safety",
    "goals_need_loading",
    "home_programme_for",
    "labels",
    "manipulation_rule",
    "nprs_change",
    "odi_band",
    "odi_change",
    "parse_case",
    "parse_plan",
    "parse_settings",
    "psfs_change",
    "psfs_item_changes",
    "safety",
    "score_all",
    "score_fabq",
    "score_nprs",
    "score_odi",
    "score_psfs",
    "score_start_back",
    "stabilisation_rule",
    "start_back_risk",
    "to_json",
    "triage",
    "units_for_minutes",
    "vocab",
]
