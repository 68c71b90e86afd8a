"""The exercise library: data in data/exercises.json, read once through importlib.resources."""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

PHASES = ("symptom_relief", "active_care", "return_to_activity")
CATEGORIES = ("stretch", "mobility", "motor_control", "strength", "loaded_strength", "posture",
              "aerobic")  # fmt: skip
# Safety tags (docs/care.md): what an exercise asks of the body, so each exercise gets its own
# verdict from the rules that concern it ("no loaded flexion" does not hold back walking).
LOADINGS = ("none", "body_weight", "external")
SPINE_MOVEMENTS = ("flexion", "flexion_gentle", "extension", "rotation")
POSITIONS = ("supine", "prone", "side_lying", "quadruped", "kneeling", "sitting", "standing")
IMPACTS = ("none", "low", "high")


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: str
    intervention: str  # the vocab.INTERVENTIONS entry whose safety verdict governs it
    direction: str
    target: str
    phases: tuple[str, ...]
    minutes: int
    priority: int
    tags: tuple[str, ...]
    loading: str  # one of LOADINGS
    spine: tuple[str, ...]  # SPINE_MOVEMENTS it asks for; () = the spine stays neutral
    position: str  # one of POSITIONS
    impact: str  # one of IMPACTS
    instructions: tuple[str, ...]
    dose: str
    dose_source: str
    progress: str
    regress: str
    avoid_note: str

    @property
    def directional(self) -> bool:
        """A repeated-movement exercise the directional-preference element prescribes."""
        return "directional" in self.tags


def _exercise(raw: dict[str, Any]) -> Exercise:
    tuples = ("phases", "tags", "instructions", "spine")
    fields: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in raw.items()}
    return Exercise(**fields)


@cache
def exercise_library() -> tuple[Exercise, ...]:
    """All exercises, in library order. Package data, so this is the only read the core does."""
    text = resources.files("unknot.care").joinpath("data/exercises.json").read_text("utf-8")
    return tuple(_exercise(raw) for raw in json.loads(text)["exercises"])


def exercise(exercise_id: str) -> Exercise:
    return next(e for e in exercise_library() if e.id == exercise_id)
