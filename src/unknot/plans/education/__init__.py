"""Prevention education: short lessons in our own words, one JSON file per topic in topics/.

Signing a plan creates EducationAssignment rows whose topic_key comes from the plan elements'
mapping of the care core's rules to lessons (unknot.plans.elements.TOPICS). A test checks
that every key it can assign has a lesson here.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    summary: str
    minutes: int
    sections: tuple[Section, ...]


def _topic(raw: Mapping[str, Any]) -> Topic:
    sections = tuple(Section(s["heading"], tuple(s["paragraphs"])) for s in raw["sections"])
    return Topic(raw["key"], raw["title"], raw["summary"], int(raw["minutes"]), sections)


@cache
def topics() -> dict[str, Topic]:
    """Every lesson, by key, in title order. Package data, read once."""
    folder = resources.files("unknot.plans.education").joinpath("topics")
    found = [
        _topic(json.loads(entry.read_text("utf-8")))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    ]
    return {t.key: t for t in sorted(found, key=lambda t: t.title)}


def topic(key: str) -> Topic | None:
    return topics().get(key)
