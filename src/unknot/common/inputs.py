"""One way to read what a request sends: dates, instants and JSON, bounded, or one error.

Every date, date-and-time and JSON body that comes from a person or a program is read
through here (or through the form fields below, built on the same bounds), so that no value
reaches date arithmetic or the database that Python or PostgreSQL cannot handle: `date.max
+ timedelta(days=1)` raises OverflowError, a year-1 instant moved to UTC falls before year 1,
and a JSON body nested a hundred thousand deep raises RecursionError. What is refused raises
`BadInput`, which every interface answers with a 400 in its own format: the plain page
(`unknot.config.middleware`), the REST API's error (`unknot.api.errors`), FHIR's
OperationOutcome (`unknot.fhir.http`) and the booking JSON API's error.

This module imports nothing of the apps: any of them may use it.
"""

import datetime as dt
import json
import re
from typing import Any

from django import forms
from django.core.exceptions import BadRequest

EARLIEST_YEAR = 1900  # the oldest date of birth we keep
LATEST_YEAR = 2200  # far past any booking horizon, far from datetime's year 9999
MAX_JSON_DEPTH = 32  # objects and lists inside each other; a FHIR intake needs about 10
MAX_TEXT = 64  # characters of a date or an instant as sent, before parsing

DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
RANGE = f"between {EARLIEST_YEAR} and {LATEST_YEAR}"
NOT_A_DATE = f"Give a date as YYYY-MM-DD, {RANGE}."
NOT_AN_INSTANT = (
    f"Give a date and time {RANGE} with its UTC offset, for example 2031-03-04T10:00:00-05:00."
)
NO_OFFSET = "Give the UTC offset too, for example 2031-03-04T10:00:00-05:00."
NOT_JSON = "The body is not valid JSON."
TOO_DEEP = f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."


class BadInput(BadRequest):
    """A value from the request that we refuse: a 400 that says what is wrong, in words.

    `field` names where it was (a form field, a query parameter) when there is one. The
    message never repeats the value: it may be a person's data, and pages, logs and error
    bodies must not carry it back.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def fields(self) -> dict[str, str]:
        return {self.field: self.message} if self.field else {}


def in_range(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def check_date(day: dt.date, field: str = "") -> dt.date:
    """`day` itself when it is between 1900 and 2200, else BadInput."""
    if not in_range(day.year):
        raise BadInput(NOT_A_DATE, field)
    return day


def date_from(text: Any, field: str = "") -> dt.date:
    """A calendar date written YYYY-MM-DD, between 1900 and 2200."""
    if not isinstance(text, str) or not DATE_SHAPE.fullmatch(text):
        raise BadInput(NOT_A_DATE, field)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(NOT_A_DATE, field) from None
    return check_date(day, field)


def check_instant(value: dt.datetime, field: str = "") -> dt.datetime:
    """An aware date and time, between 1900 and 2200, as UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadInput(NO_OFFSET, field)
    if not in_range(value.year):  # checked before moving zones: year 9999 - 12h overflows
        raise BadInput(NOT_AN_INSTANT, field)
    return value.astimezone(dt.UTC)


def instant_from(text: Any, field: str = "", *, zone: dt.tzinfo | None = None) -> dt.datetime:
    """An ISO 8601 date and time (`Z` or an offset), between 1900 and 2200, as UTC.

    Without an offset it is refused, unless `zone` is given: then it is a wall-clock time
    there (a clinic's zone), the earlier of two when the clocks go back.
    """
    if not isinstance(text, str) or not text or len(text) > MAX_TEXT:
        raise BadInput(NOT_AN_INSTANT, field)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(NOT_AN_INSTANT, field) from None
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    return check_instant(value, field)


# --- JSON ------------------------------------------------------------------------------------


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's extension, not JSON


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and lists nest more than `limit` deep (iterative: no recursion)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def json_from(raw: bytes | str) -> Any:
    """A JSON document (an empty body reads as null), at most MAX_JSON_DEPTH levels deep.

    Python's parser itself gives up with RecursionError on very deep nesting (about a
    thousand levels); that is refused here too, never a server error.
    """
    try:
        value = json.loads(raw or b"null", parse_constant=_no_constant)
    except RecursionError:
        raise BadInput(TOO_DEEP) from None
    except (ValueError, UnicodeDecodeError):  # includes numbers longer than 4300 digits
        raise BadInput(NOT_JSON) from None
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise BadInput(TOO_DEEP)
    return value


# --- form fields -----------------------------------------------------------------------------


class DateField(forms.DateField):
    """Django's date field, refusing dates before 1900 or after 2200 as a form error."""

    default_error_messages = {"range": f"Please give a date {RANGE}."}

    def to_python(self, value: Any) -> dt.date | None:
        day: dt.date | None = super().to_python(value)
        if day is not None and not in_range(day.year):
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return day


class DateTimeField(forms.DateTimeField):
    """Django's date-and-time field (aware, in the current zone when none is given),
    refusing instants before 1900 or after 2200 as a form error."""

    default_error_messages = {"range": f"Please give a date and time {RANGE}."}

    def to_python(self, value: Any) -> dt.datetime | None:
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        instant: dt.datetime | None = super().to_python(value)
        if instant is not None and not in_range(instant.year):
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return instant


class SplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date-and-time field (a date box and a time box), with the same bounds."""

    # Django's own __init__ reads its invalid_date / invalid_time from this very dict.
    default_error_messages = {
        **forms.SplitDateTimeField.default_error_messages,
        "range": f"Please give a date and time {RANGE}.",
    }

    def compress(self, data_list: Any) -> dt.datetime | None:
        instant: dt.datetime | None = super().compress(data_list)
        if instant is not None and not in_range(instant.year):
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return instant


def checked_note(note: str, *, limit: int, when_empty: str, refuse: type[Exception]) -> str:
    """A staff member's note of what was said, for a service that records it: trimmed, not
    empty, within `limit`, and storable. Refused with the service's own error (`refuse`),
    which its pages show beside the form; the forms check the same, this is for every caller."""
    note = note.strip()
    if not note:
        raise refuse(when_empty)
    if len(note) > limit:
        raise refuse(f"Please keep the note under {limit} characters.")
    if "\x00" in note:
        raise refuse("The note contains a character that cannot be stored.")
    return note


def note_field(
    label: str, *, limit: int, when_empty: str, help_text: str, rows: int
) -> forms.CharField:
    """The form's side of `checked_note`: the same words for the same refusals. Stripped, so a
    note of spaces only is "required", like none."""
    return forms.CharField(
        label=label,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": when_empty,
            "max_length": f"Please keep the note under {limit} characters.",
            "null_characters_not_allowed": "The note contains a character that cannot be stored.",
        },
    )


# The longest period a report or dashboard is asked for: five years (and their leap days).
LONGEST_PERIOD = dt.timedelta(days=5 * 366)


def check_period(first: dt.date | None, last: dt.date | None) -> None:
    """A chosen period, From to To: it ends on or after its start and spans five years at most."""
    if first and last and first > last:
        raise forms.ValidationError("The period must end on or after the day it starts.")
    if first and last and last - first > LONGEST_PERIOD:
        raise forms.ValidationError("Choose a period of five years or less.")
