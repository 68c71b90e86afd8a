"""A stored plan read back as the core's dataclasses: parse_plan(to_json(a)["plan"]) == a.plan.

The record keeps the core's output as JSON; whoever reads the plan back gets the dataclasses of
plan_model.py rather than nested dicts. Strict: a missing key or a wrong type raises
StoredPlanError naming the path (`plan.phases[1].elements[0].what`), so a damaged row shows where
it is read instead of as a wrong page later. Unknown keys are ignored, so a row written by a
newer core still reads. A key the core added after plans were first stored has a default here.
"""

from collections.abc import Callable, Mapping

from .codes import Code
from .plan_model import (
    Element,
    Held,
    HomeExercise,
    HomeProgramme,
    Intensity,
    Phase,
    Pillar,
    Plan,
    Visits,
)


class StoredPlanError(ValueError):
    """The stored plan cannot be read: `path` is wrong for `reason`."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


_KINDS: dict[type, str] = {
    type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
    list: "a list", tuple: "a list", dict: "an object",
}  # fmt: skip


def _kind(value: object) -> str:
    """The JSON name of a value's type, for the error message."""
    return _KINDS.get(type(value), type(value).__name__)


class _Fields:
    """One JSON object of the stored plan and where it sits, read one key at a time."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise StoredPlanError(path, f"expected an object, got {_kind(data)}")
        self.data: Mapping[str, object] = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def value(self, key: str) -> object:
        if key not in self.data:
            raise StoredPlanError(self.at(key), "missing")
        return self.data[key]

    def text(self, key: str, default: str | None = None) -> str:
        """A string; `default` only for a key that older rows lack."""
        if default is not None and key not in self.data:
            return default
        return _text(self.value(key), self.at(key))

    def text_or_none(self, key: str) -> str | None:
        value = self.value(key)
        return None if value is None else _text(value, self.at(key))

    def flag(self, key: str) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise StoredPlanError(self.at(key), f"expected a boolean, got {_kind(value)}")
        return value

    def number(self, key: str) -> int:
        return _number(self.value(key), self.at(key))

    def number_or_none(self, key: str) -> int | None:
        value = self.value(key)
        return None if value is None else _number(value, self.at(key))

    def texts(self, key: str) -> tuple[str, ...]:
        return tuple(_text(v, p) for v, p in _items(self.value(key), self.at(key)))

    def each[T](self, key: str, build: Callable[["_Fields"], T]) -> tuple[T, ...]:
        return tuple(build(_Fields(v, p)) for v, p in _items(self.value(key), self.at(key)))

    def one_or_none[T](self, key: str, build: Callable[["_Fields"], T]) -> T | None:
        value = self.value(key)
        return None if value is None else build(_Fields(value, self.at(key)))


def _text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise StoredPlanError(path, f"expected a string, got {_kind(value)}")
    return value


def _number(value: object, path: str) -> int:
    # bool is an int to Python, but true is not a number of minutes or visits.
    if not isinstance(value, int) or isinstance(value, bool):
        raise StoredPlanError(path, f"expected a whole number, got {_kind(value)}")
    return value


def _items(value: object, path: str) -> list[tuple[object, str]]:
    """A list's items, each with its own path."""
    if not isinstance(value, list | tuple):
        raise StoredPlanError(path, f"expected a list, got {_kind(value)}")
    return [(item, f"{path}[{n}]") for n, item in enumerate(value)]


def parse_plan(data: Mapping[str, object]) -> Plan:
    """The plan of a stored assessment (`to_json(a)["plan"]`); StoredPlanError when unreadable."""
    return _plan(_Fields(data, "plan"))


def _plan(f: _Fields) -> Plan:
    return Plan(
        status=f.text("status"),
        message=f.text("message"),
        assessment_focus=f.texts("assessment_focus"),
        intensity=f.one_or_none("intensity", _intensity),
        current_phase=f.text_or_none("current_phase"),
        phases=f.each("phases", _phase),
        pillars=f.each("pillars", _pillar),
        held=f.each("held", _held),
        visits=f.one_or_none("visits", _visits),
        home_programme=f.one_or_none("home_programme", _home_programme),
        diagnosis_codes=f.each("diagnosis_codes", _code),
        procedure_codes=f.each("procedure_codes", _code),
        notes=f.texts("notes"),
    )


def _intensity(f: _Fields) -> Intensity:
    return Intensity(
        start_back_risk=f.text_or_none("start_back_risk"),
        approach=f.text("approach"),
        rule_id=f.text("rule_id"),
        reason=f.text("reason"),
    )


def _element(f: _Fields) -> Element:
    return Element(
        what=f.text("what"),
        reason=f.text("reason"),
        rule_id=f.text("rule_id"),
        pillar=f.text_or_none("pillar"),
        intervention=f.text_or_none("intervention"),
        grade=f.text_or_none("grade"),
        source=f.text("source"),
        heuristic=f.flag("heuristic"),
        modification=f.text_or_none("modification"),
        cpt=f.text_or_none("cpt"),
    )


def _phase(f: _Fields) -> Phase:
    return Phase(
        key=f.text("key"),
        title=f.text("title"),
        goal=f.text("goal"),
        elements=f.each("elements", _element),
        move_on_when=f.texts("move_on_when"),
        move_on_rule=f.text("move_on_rule"),
        current=f.flag("current"),
    )


def _pillar(f: _Fields) -> Pillar:
    return Pillar(name=f.text("name"), included=f.flag("included"), reason=f.text("reason"))


def _held(f: _Fields) -> Held:
    return Held(
        intervention=f.text("intervention"),
        rule_ids=f.texts("rule_ids"),
        reason=f.text("reason"),
        # Added when verdicts came in four levels; before that the core held back only what was
        # contraindicated, so that is what a row without the key means.
        verdict=f.text("verdict", default="contraindicated"),
    )


def _visits(f: _Fields) -> Visits:
    return Visits(
        per_week=f.number_or_none("per_week"),
        weeks=f.number_or_none("weeks"),
        total=f.number_or_none("total"),
        reason=f.text("reason"),
        rule_id=f.text("rule_id"),
        heuristic=f.flag("heuristic"),
    )


def _home_exercise(f: _Fields) -> HomeExercise:
    return HomeExercise(
        id=f.text("id"),
        name=f.text("name"),
        category=f.text("category"),
        target=f.text("target"),
        instructions=f.texts("instructions"),
        dose=f.text("dose"),
        dose_source=f.text("dose_source"),
        minutes=f.number("minutes"),
        progress=f.text("progress"),
        regress=f.text("regress"),
        stop_if=f.text("stop_if"),
        why=f.text("why"),
        modifications=f.texts("modifications"),
    )


def _home_programme(f: _Fields) -> HomeProgramme:
    return HomeProgramme(
        phase=f.text("phase"),
        minutes_available=f.number("minutes_available"),
        minutes_used=f.number("minutes_used"),
        exercises=f.each("exercises", _home_exercise),
        notes=f.texts("notes"),
        rule_id=f.text("rule_id"),
        heuristic=f.flag("heuristic"),
    )


def _code(f: _Fields) -> Code:
    return Code(
        system=f.text("system"), code=f.text("code"), label=f.text("label"), reason=f.text("reason")
    )
