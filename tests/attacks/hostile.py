"""What the hostile-input walk sends, and how it finds the fields of a page's forms.

The battery is sampled, not sent whole, to every URL: each (URL, persona) pair gets the
values at its own offset of the cycle, so across the walk every value reaches every kind of
field while each URL costs a handful of requests. `pick` is deterministic: a failure found
once is found again on the next run.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

# --- the battery ---------------------------------------------------------------------------

# Every other value overflows datetime arithmetic somewhere (see `date_round`).
EXTREME_DATES = (
    "9999-12-31",
    "1899-12-31",
    "9999-12-31T23:59:59-12:00",  # to UTC: year 10000
    "2201-01-01",
    "0001-01-01T00:00:00+14:00",  # to UTC: year 0
    "2031-02-30",
    "0001-01-01",
    "99999-01-01",
    "9999-12-31T10:00:00+00:00",
    "2031-03-05T25:61:00Z",
    "0001-01-01T10:00",
    "-2031-03-05",
)
EXTREME_TIMES = ("23:59", "24:00", "00:00", "12:60", "99:99", "2:30 PM", "23:59:59.999999")
NUL = "a\x00b"
STRINGS = (
    "x" * 10_000,
    "Zoë ١٢٣ 😀 \u202eevil",  # accents, Arabic digits, an emoji, a right-to-left override
    "مرحبا بالعالم \u200f",  # right-to-left text with a right-to-left mark
    "9" * 30,  # past any integer column
    "-" + "9" * 30,
    "99999999999999999999",
    "1e309",  # a float that is infinity
    "-1",
    "0",
    "1.5",
    "NaN",
    "[]",
    '{"a": [[[[1]]]]}',
    "true",
    "null",
    "%00",
    "\t\n\r tabs and newlines \r\n",
    NUL,
    "",
)
QUERY_BATTERY = (*EXTREME_DATES, *STRINGS)
DEEP = 20_000  # far past the JSON depth limit, and past Python's own (about 10,000)


def pick(values: Sequence[str], offset: int) -> str:
    return values[offset % len(values)]


def deep_json(depth: int = DEEP) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def deep_list(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


JSON_KEYS = (
    "clinic", "type", "therapist", "patient", "start", "reason", "performed_on", "status",
    "pain_before", "pain_after", "note", "name", "date_of_birth", "id", "slot", "participant",
    "item", "subject", "questionnaire", "cancelationReason", "value", "op", "path",
    "method", "amount", "received_on", "reference", "payer",
)  # fmt: skip
JSON_VALUES: tuple[Any, ...] = (
    10**30,
    -1,
    1.5,
    True,
    None,
    [],
    {},
    "x" * 10_000,
    "9999-12-31T23:59:59-12:00",
    "0001-01-01",
    "Zoë 😀 \u202eevil",
    [[[["deep"]]]],
    {"reference": "Slot/1-1-1-999912312359"},
)


def hostile_object(offset: int, **fixed: Any) -> dict[str, Any]:
    """Every field name any of our JSON endpoints reads, each with a wrong or extreme value."""
    body = {key: JSON_VALUES[(offset + n) % len(JSON_VALUES)] for n, key in enumerate(JSON_KEYS)}
    return body | fixed


def json_bodies(offset: int, resource_type: str | None) -> list[str]:
    fixed = {"resourceType": resource_type} if resource_type else {}
    return [
        deep_json() if offset % 2 else deep_list(),
        json.dumps(hostile_object(offset, **fixed)),
        json.dumps([hostile_object(offset + 1, **fixed)]),
    ]


# --- the fields of a page's forms ----------------------------------------------------------

DATE_NAME = re.compile(r"date|day|since|until|start|end|birth|_on$|^from$|^to$|week", re.I)
TEXT_TYPES = {"text", "hidden", "email", "tel", "search", "number", "password", "url", ""}


@dataclass
class Field:
    name: str
    kind: str  # an input's type, or select, textarea, button
    value: str = ""


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and found.get("method", "get").lower() == "post":
            self.current = Form(found.get("action", ""))
            self.forms.append(self.current)
        if self.current is None or not found.get("name"):
            return
        if tag in ("input", "button", "textarea"):
            kind = found.get("type", "text").lower() if tag == "input" else tag
            self.current.fields.append(Field(found["name"], kind, found.get("value", "")))
        elif tag == "select":
            self.select = Field(found["name"], "select")
            self.current.fields.append(self.select)
        if tag == "option" and self.select is not None and not self.select.value:
            self.select.value = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        if tag == "select":
            self.select = None


def post_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def is_date_field(item: Field) -> bool:
    return item.kind in ("date", "datetime-local", "month", "week") or bool(
        DATE_NAME.search(item.name)
    )


DATE_ROUNDS = 2  # requests with every date extreme; one of the two always overflows


def date_round(offset: int, round_: int) -> int:
    """Where a round starts in EXTREME_DATES: the two rounds 3 apart start one on an even
    place (a value that overflows) and one on an odd place; the personas' offsets (11
    apart) together meet every value."""
    return offset + 3 * round_


def dates_variant(fields: Sequence[Field], offset: int) -> dict[str, str]:
    """The form as shown, with every date and time field extreme (submit buttons left out,
    unless they carry a time, like the booking page's time buttons)."""
    body = {}
    for n, item in enumerate(fields):
        if item.kind == "time":
            body[item.name] = pick(EXTREME_TIMES, offset + n)
        elif is_date_field(item):
            body[item.name] = pick(EXTREME_DATES, offset + n % 2)
        elif item.kind not in ("button", "submit"):
            body[item.name] = item.value
    return body


def strings_variant(fields: Sequence[Field], offset: int) -> dict[str, str]:
    """Every field of the form with a hostile value of the battery."""
    return {
        item.name: item.value
        if item.name == "csrfmiddlewaretoken"
        else pick(QUERY_BATTERY, offset + 3 * n)
        for n, item in enumerate(fields)
    }


# Field names to try where a URL shows no form: what the views' forms commonly read.
GENERIC_FIELDS = tuple(
    Field(name, kind)
    for name, kind in (
        ("start", "hidden"), ("date", "date"), ("time", "time"), ("day", "date"),
        ("reason", "text"), ("status", "text"), ("action", "text"), ("note", "textarea"),
        ("q", "search"), ("name", "text"), ("to", "text"), ("next", "text"),
    )
)  # fmt: skip
