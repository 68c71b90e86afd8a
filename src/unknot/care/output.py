"""to_json(assessment) -> a JSON-ready dict with the same shape as the dataclasses."""

import dataclasses
from typing import Any

from .assess import Assessment

OUTPUT_VERSION = 1


def _plain(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_json(assessment: Assessment) -> dict[str, Any]:
    """Every field of the assessment; a NotScored carries `not_scored: true` to tell it apart."""
    data: dict[str, Any] = {"version": OUTPUT_VERSION, **_plain(assessment)}
    # Questionnaires beyond the five the rules read appear by their key, and only when given.
    data["scores"].update(data["scores"].pop("others"))
    for key, score in data["scores"].items():
        if isinstance(score, dict) and "questionnaire" in score:
            data["scores"][key] = {"not_scored": True, **score}
    return data
