"""Search: the allow-listed parameters, FHIR date prefixes, paging and the searchset Bundle.

A parameter a resource does not list is refused with 400 (never ignored, never passed on to
a query); values are parsed here into Python values before any filter sees them.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict

from unknot.common import keyset
from unknot.common.inputs import BadInput, date_from, instant_from
from unknot.fhir.http import FhirError, invalid
from unknot.fhir.refs import Context, Resource, reference_id, whole_number

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_TOTAL = 1_000  # counted up to here; beyond, a Bundle has no `total` (FHIR allows that)
CURSOR = "_cursor"
CONTROL = ("_count", CURSOR, "_format")
JSON_FORMATS = ("json", "application/json", "application/fhir+json")
PREFIXES = ("eq", "ge", "le", "gt", "lt")


@dataclass(frozen=True)
class Query:
    """The parsed query string: search values by parameter, and the page asked for."""

    params: dict[str, list[str]]
    count: int
    cursor: str | None  # where the page starts (from a `next` link); None: the first page

    def one(self, name: str) -> str | None:
        values = self.params.get(name, [])
        if len(values) > 1:
            raise invalid(f"Give {name} once.")
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self.params.get(name, [])


def _bounded_int(raw: str, name: str, top: int) -> int:
    value = whole_number(raw)
    if value is None or value > top:
        raise invalid(f"{name} must be a whole number from 0 to {top}.")
    return value


def parse_query(
    query: QueryDict, allowed: Sequence[str], default_count: int = DEFAULT_COUNT
) -> Query:
    unknown = sorted(set(query) - set(allowed) - set(CONTROL))
    if unknown:
        known = ", ".join([*allowed, *CONTROL])
        raise invalid(f"Unknown search parameter {', '.join(unknown)}; this search takes: {known}.")
    for fmt in query.getlist("_format"):
        if fmt not in JSON_FORMATS:
            raise FhirError(406, "not-supported", "This server speaks JSON only (_format=json).")
    count = _bounded_int(query.get("_count", str(default_count)), "_count", MAX_COUNT)
    cursors = query.getlist(CURSOR)
    if len(cursors) > 1 or cursors == [""]:
        raise invalid(f"Give {CURSOR} once, as a paging link has it.")
    params = {name: query.getlist(name) for name in query if name not in CONTROL}
    for name, values in params.items():
        if any(not value for value in values):
            raise invalid(f"{name} needs a value.")
    return Query(params, count, cursors[0] if cursors else None)


# --- values ----------------------------------------------------------------------------------


def tokens(query: Query, name: str) -> list[str]:
    """A token parameter: comma-separated alternatives, each `code` or `system|code`."""
    return [part for value in query.all(name) for part in value.split(",") if part]


def reference_ids(query: Query, name: str, resource_type: str) -> list[int]:
    """`patient=12`, `patient=Patient/12`: the database ids, or 400."""
    ids = []
    for value in tokens(query, name):
        raw = value if "/" not in value else reference_id(value, resource_type)
        number = whole_number(raw or "")
        if number is None:
            raise invalid(f"{name} must be a {resource_type} id, like {resource_type}/12.")
        ids.append(number)
    return ids


@dataclass(frozen=True)
class DateBound:
    """One `date=ge2031-03-05` condition, as the lookup and instant it means."""

    lookup: str  # gte, gt, lte, lt
    value: dt.datetime

    def holds(self, instant: dt.datetime) -> bool:
        return {
            "gte": instant >= self.value,
            "gt": instant > self.value,
            "lte": instant <= self.value,
            "lt": instant < self.value,
        }[self.lookup]


def _moment(text: str, name: str) -> tuple[dt.datetime, bool]:
    """(instant, whole day?) for a FHIR date (read as a UTC day) or a dateTime with a zone,
    between 1900 and 2200 (the shared reader)."""
    try:
        if len(text) == 10:
            day = date_from(text, name)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), True
        return instant_from(text.replace("Z", "+00:00"), name), False
    except BadInput as refused:
        raise invalid(f"{name}: {refused.message}") from None


def date_bounds(query: Query, name: str) -> list[DateBound]:
    """`ge`, `le`, `gt`, `lt` and `eq` (the default); a plain date covers its whole day."""
    bounds: list[DateBound] = []
    for raw in query.all(name):
        prefix, text = (raw[:2], raw[2:]) if raw[:2] in PREFIXES else ("eq", raw)
        start, whole_day = _moment(text, name)
        end = start + dt.timedelta(days=1) if whole_day else start
        bounds.extend(_bounds(prefix, start, end, whole_day))
    return bounds


def _bounds(prefix: str, start: dt.datetime, end: dt.datetime, day: bool) -> list[DateBound]:
    if prefix == "ge":
        return [DateBound("gte", start)]
    if prefix == "gt":
        return [DateBound("gte", end) if day else DateBound("gt", start)]
    if prefix == "le":
        return [DateBound("lt", end) if day else DateBound("lte", start)]
    if prefix == "lt":
        return [DateBound("lt", start)]
    if day:
        return [DateBound("gte", start), DateBound("lt", end)]
    return [DateBound("gte", start), DateBound("lte", start)]


def filter_dates(
    rows: QuerySet[Any], field: str, bounds: list[DateBound], *, dates: bool = False
) -> QuerySet[Any]:
    """Applies the bounds to a DateTimeField, or with `dates` to a DateField (UTC days)."""
    for bound in bounds:
        value: Any = bound.value.date() if dates else bound.value
        rows = rows.filter(**{f"{field}__{bound.lookup}": value})
    return rows


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    total: int | None  # None: more than MAX_TOTAL matches, not counted
    resources: list[Resource]
    next: str | None = None  # the cursor of the following page
    previous: str | None = None  # the cursor of the page before


def bounded_total(rows: QuerySet[Any]) -> int | None:
    """How many rows match, counted up to MAX_TOTAL only: a count over a chain's millions
    would cost more than the page itself."""
    found = rows[: MAX_TOTAL + 1].count()
    return None if found > MAX_TOTAL else found


def add_totals(*totals: int | None) -> int | None:
    return None if any(t is None for t in totals) else sum(t for t in totals if t is not None)


def keyset_page(rows: QuerySet[Any], query: Query, cursor: str | None = None) -> keyset.Page:
    """The rows of the page the query asks for (or of `cursor`), by keyset on rows' order."""
    try:
        return keyset.page(rows, query.count, cursor, purpose="fhir", field=CURSOR)
    except BadInput as refused:
        raise invalid(f"{CURSOR}: {refused.message}") from None


def page_of(rows: QuerySet[Any], query: Query, render: Callable[[Any], Resource]) -> Page:
    """Two queries (a bounded count, the page) plus whatever `rows` prefetches, whatever the
    page size; from a cursor one more (its row's sort values)."""
    total = bounded_total(rows)
    found = keyset_page(rows, query, query.cursor)
    return Page(total, [render(row) for row in found.rows], found.next, found.previous)


def page_of_list(items: Sequence[Resource], query: Query) -> Page:
    """A page of a list made in memory (free slots, questionnaires): the cursor holds the
    position, signed like any other, since the list is computed anyway."""
    tag = "list"
    start = 0
    if query.cursor is not None:
        try:
            start, _ = keyset.read_cursor(query.cursor, tag, CURSOR)
        except BadInput as refused:
            raise invalid(f"{CURSOR}: {refused.message}") from None
        if not isinstance(start, int) or start < 0:
            raise invalid(f"{CURSOR}: {keyset.REFUSED}")
    end = start + query.count
    following = keyset.make_cursor(tag, end, False) if query.count and end < len(items) else None
    earlier = keyset.make_cursor(tag, max(0, start - query.count), False) if start else None
    return Page(len(items), list(items[start:end]), following, earlier)


def _link(
    ctx: Context, path: str, pairs: list[tuple[str, str]], query: Query, cursor: str | None
) -> str:
    paging = [("_count", str(query.count))] + ([(CURSOR, cursor)] if cursor else [])
    return f"{ctx.url(path)}?{urlencode(pairs + paging)}"


def _link_base(
    resource_type: str, query: Query, private: Sequence[str]
) -> tuple[str, list[tuple[str, str]]]:
    """Where the paging links point, and the search values they repeat.

    A search with a value that identifies a person links to `[type]/_search` with the page
    only: the caller POSTs the same body there again (the page in the URL wins over the
    body's), so the name or date of birth never appears in a URL.
    """
    if any(name in query.params for name in private):
        return f"{resource_type}/_search", []
    pairs = [(name, value) for name, values in query.params.items() for value in values]
    return resource_type, pairs


def bundle(
    ctx: Context, resource_type: str, query: Query, page: Page, private: Sequence[str] = ()
) -> Resource:
    path, pairs = _link_base(resource_type, query, private)
    links = [{"relation": "self", "url": _link(ctx, path, pairs, query, query.cursor)}]
    if page.next:
        links.append({"relation": "next", "url": _link(ctx, path, pairs, query, page.next)})
    if page.previous:
        links.append({"relation": "previous", "url": _link(ctx, path, pairs, query, page.previous)})
    found: Resource = {"resourceType": "Bundle", "type": "searchset"}
    if page.total is not None:
        found["total"] = page.total
    return found | {
        "link": links,
        "entry": [
            {
                "fullUrl": ctx.url(f"{r['resourceType']}/{r['id']}"),
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in page.resources
        ],
    }
