"""What an outcome questionnaire is, as one frozen value: `Instrument`.

An instrument holds everything the rest of unknot needs about one questionnaire: its items as the
person reads them, the intake page it is asked on, how it is checked and scored, the measures it
stores (with their LOINC codes, range, unit and meaningful change), whether it is measured again
at visits, and its source and licence. The intake pages, the stored scores, the progress charts
and FHIR all read it from `care.instruments`; none keeps a list of its own.
"""

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..change import Change
from ..settings import Settings

JSON = dict[str, Any]
Details = Mapping[str, Any]
Option = tuple[int | str, str]  # (stored answer, what the person reads)

# How often a measure is taken again after the intake.
EVERY_VISIT = "every_visit"
REASSESSMENT = "reassessment"  # at the re-assessment visits (every few visits)


@dataclass(frozen=True)
class Code:
    """A LOINC code and its display name, as sent in FHIR."""

    code: str
    display: str


@dataclass(frozen=True)
class Loinc:
    """A code a score carries in its own output, with a short meaning."""

    code: str
    meaning: str


@dataclass(frozen=True)
class NotScored:
    """A questionnaire that could not be scored, and why."""

    questionnaire: str
    rule_id: str
    reason: str


@dataclass(frozen=True)
class Page:
    """An intake page: one or more questionnaires asked together."""

    slug: str
    title: str
    intro: str


@dataclass(frozen=True)
class Item:
    """One question as the person reads it.

    `link` names it in FHIR (`<questionnaire id>.<link>`) and `field` on the intake page. A
    choice has `options`; a whole number its `scale` (lowest, highest). An `optional` item may
    stay unanswered and the page still counts as done.
    """

    link: str
    text: str
    kind: str  # choice | integer | string
    field: str
    options: tuple[Option, ...] = ()
    scale: tuple[int, int] | None = None
    codes: tuple[Code, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Mcid:
    """The meaningful change of a measure: its verdict and the band of no meaningful change.

    `change(baseline, current, settings)` says improved / unchanged / worse; values strictly
    inside `band(baseline, settings)` are exactly the ones `change` calls unchanged.
    """

    rule_id: str
    lower_is_better: bool
    change: Callable[[float, float, Settings], Change]
    band: Callable[[float, Settings], tuple[float, float]]


@dataclass(frozen=True)
class Part:
    """A part of a stored score sent with it (e.g. STarT Back's psychosocial subscore)."""

    label: str
    code: Code
    value: int | None = None  # a number, or
    answer: Code | None = None  # a coded answer
    answer_text: str = ""


def _no_words(details: Details) -> str:
    return ""


def _no_parts(details: Details) -> tuple[Part, ...]:
    return ()


@dataclass(frozen=True)
class Measure:
    """One number an instrument stores (an OutcomeScore row): its key is the stored key."""

    key: str
    label: str  # for staff
    low: float
    high: float
    heading: str = ""  # for staff, above its chart over time ("" = the label)
    short: str = ""  # for staff, in goals and one-line lists ("Pain (NPRS)"; "" = the label)
    code: Code | None = None  # LOINC of the score; None where there is none
    unit: str = ""  # UCUM of a decimal value ("%", "{score}"); "" for a whole number
    plain: str = ""  # for the person: "Your <plain> has dropped by ..."
    plain_unit: str = " out of 10"  # after a value in the person's sentences
    mcid: Mcid | None = None  # measures with a meaningful change are charted over time
    required: bool = True  # the questionnaire counts as scored only once this one is
    summary: Callable[[Details], str] = _no_words  # the stored details in words, for staff
    interpretation: Callable[[Details], str] = _no_words  # e.g. the disability band
    parts: Callable[[Details], tuple[Part, ...]] = _no_parts

    def __post_init__(self) -> None:
        if not self.heading:
            object.__setattr__(self, "heading", self.label)
        if not self.short:
            object.__setattr__(self, "short", self.label)

    def change(self, baseline: float, current: float, settings: Settings) -> Change:
        """The core's verdict on a change (measures with a meaningful change only)."""
        if self.mcid is None:
            raise ValueError(f"{self.key} has no meaningful change")
        return self.mcid.change(baseline, current, settings)


@dataclass(frozen=True)
class Result:
    """A score as it is stored: the measure, its value, its LOINC code and the details."""

    measure: str
    value: float
    loinc: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Instrument:
    """One outcome questionnaire. `key` is where its answers sit in a case
    (`questionnaires.<key>`) and in the stored intake; `score(parse(answers), settings)` gives
    its score or a NotScored, and `results(score)` the rows it stores.
    """

    key: str
    name: str  # the published name
    short: str  # a short name for staff lists ("Oswestry")
    label: str  # for staff, where it is named as a whole
    plain: str  # for the person, when it could not be scored ("your pain today")
    source: str  # where it comes from
    licence: str  # why we may use it, and how its wording is ours or theirs
    page: Page
    intro: str  # shown above its items ("" for none)
    items: tuple[Item, ...]
    measures: tuple[Measure, ...]
    answers_schema: JSON  # the JSON Schema of `questionnaires.<key>` in a case
    parse: Callable[[Any], Any]  # checked JSON answers -> what `score` takes
    score: Callable[[Any, Settings], Any]  # -> the score, or a NotScored
    results: Callable[[Any], tuple[Result, ...]]  # a score (never a NotScored) -> stored rows
    codes: tuple[Code, ...] = ()  # LOINC of the questionnaire itself
    remeasured: str = ""  # EVERY_VISIT, REASSESSMENT, or "" when only asked at the intake
    not_given: str = ""  # the core's words when it was not given at all; "" to say nothing

    @property
    def fhir_id(self) -> str:
        return self.key.replace("_", "-")

    def rows(self, score: object) -> tuple[Result, ...]:
        """The rows to store for a score; none when it was not given or not scored."""
        if score is None or isinstance(score, NotScored):
            return ()
        return self.results(score)

    def is_scored(self, score: object) -> bool:
        """Whether every required measure could be scored (FABQ: the physical activity part)."""
        stored = {row.measure for row in self.rows(score)}
        return all(m.key in stored for m in self.measures if m.required)


def reasons(score: object) -> tuple[str, ...]:
    """The core's reasons for what could not be scored, the questionnaire's or its parts'."""
    if isinstance(score, NotScored):
        return (score.reason,)
    if dataclasses.is_dataclass(score) and not isinstance(score, type):
        parts = (getattr(score, f.name) for f in dataclasses.fields(score))
        return tuple(p.reason for p in parts if isinstance(p, NotScored))
    return ()


def loinc(code: Code, meaning: str) -> Loinc:
    return Loinc(code.code, meaning)


def whole(lo: int, hi: int, nullable: bool = False) -> JSON:
    """JSON Schema of a whole number from lo to hi (or null when unanswered)."""
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": lo, "maximum": hi}


def answer_list(item: JSON, count: int, description: str) -> JSON:
    return {"type": "array", "items": item, "minItems": count, "maxItems": count,
            "description": description}  # fmt: skip


def as_tuple(raw: Any) -> tuple[Any, ...]:
    return tuple(raw)


def numbered(key: str, texts: tuple[str, ...], scale: tuple[int, int]) -> tuple[Item, ...]:
    """Whole-number items 1..n, named `<key>.<n>` in FHIR and `<key>_<n>` on the page."""
    return tuple(
        Item(str(n), text, "integer", f"{key}_{n}", scale=scale)
        for n, text in enumerate(texts, start=1)
    )


def label_of(labels: Mapping[str, str], key: object) -> str:
    """As care.labels.label: the key's words, else the key with spaces."""
    return labels.get(str(key), str(key).replace("_", " "))


# The licence of the questionnaires adopted before this registry was not recorded with them.
NOT_RECORDED = "not recorded here; the items are in our own plain words, the scoring as published"
