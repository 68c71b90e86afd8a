"""Filtering, sorting and pagination on allow-lists.

Each list view names the query parameters it understands (`filters`) and the fields it may be
sorted by (`sorts`). Anything else is refused with a 400 that names the parameter, and a value
is parsed before it reaches the ORM: nothing from the query string is ever used as a field
name or as SQL.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from unknot.common import keyset
from unknot.common.inputs import BadInput, date_from

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CURSOR = "cursor"
PAGING = (CURSOR, "page_size")
SORT = "sort"
MAX_ID = 10**15  # ids fit a 64-bit column with room to spare; longer numbers are not ids


def whole_number(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < MAX_ID):
        raise ValueError("A positive whole number is required.")
    return int(raw)


def day(raw: str) -> dt.date:
    try:
        return date_from(raw)  # YYYY-MM-DD between 1900 and 2200
    except BadInput as refused:
        raise ValueError(refused.message) from None


def text(raw: str) -> str:
    if not raw or len(raw) > 100:
        raise ValueError("Between 1 and 100 characters, please.")
    return raw


def one_of(choices: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(choices)

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError("Use one of: " + ", ".join(allowed) + ".")
        return raw

    parse.choices = allowed  # type: ignore[attr-defined]  # a function attribute
    return parse


@dataclass(frozen=True)
class Filter:
    """One allowed query parameter: how to parse it and how to apply it to the queryset."""

    apply: Callable[[QuerySet[Any], Any], QuerySet[Any]]
    parse: Callable[[str], Any] = text
    description: str = ""
    kind: str = field(default="string")  # for the schema: string, integer, date


def where(lookup: str, parse: Callable[[str], Any] = text, description: str = "") -> Filter:
    """A filter that is one ORM lookup fixed in the code, e.g. `where("clinic__slug")`."""
    kinds: dict[Callable[[str], Any], str] = {whole_number: "integer", day: "date"}
    kind = kinds.get(parse, "string")
    return Filter(lambda rows, value: rows.filter(**{lookup: value}), parse, description, kind)


def _problems_with_names(query: Any, allowed: set[str]) -> dict[str, str]:
    unknown = sorted(set(query) - allowed)
    hint = "Allowed here: " + (", ".join(sorted(allowed)) or "none") + "."
    return {name[:40]: f"Unknown query parameter. {hint}" for name in unknown}


def check_parameters(request: Request, view: Any) -> dict[str, Any]:
    """The parsed filter values of the request; 400 naming every unknown or bad parameter."""
    filters: dict[str, Filter] = getattr(view, "filters", {})
    extra = set(getattr(view, "query_parameters", ()))
    allowed = set(filters) | extra | ({SORT, *PAGING} if getattr(view, "sorts", None) else set())
    query = request.query_params
    problems = _problems_with_names(query, allowed)
    for name, where_instead in getattr(view, "identifying_parameters", {}).items():
        if name in query:  # refused with a pointer to where it belongs
            problems[name] = where_instead
    values: dict[str, Any] = {}
    for name, spec in filters.items():
        if name not in query:
            continue
        if len(query.getlist(name)) > 1:
            problems[name] = "Give this parameter once."
            continue
        try:
            values[name] = spec.parse(query[name])
        except ValueError as error:
            problems[name] = str(error)
    if problems:
        raise ValidationError(problems)
    return values


def ordering(request: Request, sorts: dict[str, str], default: Iterable[str]) -> list[str]:
    raw = request.query_params.get(SORT)
    if raw is None:
        return list(default)
    keys = raw.split(",")
    wrong = [key for key in keys if key.removeprefix("-") not in sorts]
    if wrong or len(keys) > 3:
        names = ", ".join(sorted(sorts))
        raise ValidationError({SORT: f"Sort by up to three of: {names} (a leading - reverses)."})
    fields = [("-" if key.startswith("-") else "") + sorts[key.removeprefix("-")] for key in keys]
    return [*fields, "pk"]  # a stable order, so pages never repeat or skip a row


class AllowListFilter(BaseFilterBackend):
    """Applies the view's allow-listed filters and sort; refuses every other parameter."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        values = check_parameters(request, view)
        for name, value in values.items():
            queryset = view.filters[name].apply(queryset, value)
        sorts = getattr(view, "sorts", {})
        return queryset.order_by(*ordering(request, sorts, view.default_sort))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = [_filter_parameter(name, spec) for name, spec in view.filters.items()]
        sorts = sorted(view.sorts)
        choices = [*sorts, *(f"-{key}" for key in sorts)]
        params.append(
            {
                "name": SORT,
                "in": "query",
                "required": False,
                "description": "Sort by this field; a leading - reverses. "
                "Up to three, separated by commas.",
                "schema": {"type": "string", "enum": choices},
            }
        )
        return params


def _filter_parameter(name: str, spec: Filter) -> dict[str, Any]:
    schemas: dict[str, dict[str, Any]] = {
        "string": {"type": "string", "minLength": 1, "maxLength": 100},
        "integer": {"type": "integer", "minimum": 1},
        "date": {"type": "string", "format": "date"},
    }
    schema = schemas[spec.kind]
    choices = getattr(spec.parse, "choices", None)
    if choices:
        schema = {"type": "string", "enum": list(choices)}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": spec.description,
        "schema": schema,
    }


class Pages(BasePagination):
    """Keyset pages: `cursor` (from a page's `next` or `previous` link) and `page_size`
    (the view's `page_size`, 50 unless its rows are heavy; at most 200). No `count`: counting a
    chain's millions of rows would cost more than the page. A cursor this server did not give
    for this list and order is a 400.
    """

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        size = _page_size(request, _default_size(view))
        cursor = request.query_params.get(CURSOR)
        purpose = type(view).__name__ if view is not None else "list"
        try:
            self.found = keyset.page(queryset, size, cursor, purpose=purpose, field=CURSOR)
        except BadInput as refused:
            raise ValidationError({CURSOR: refused.message}) from None
        self.url = request.build_absolute_uri()
        return self.found.rows

    def _link(self, cursor: str | None) -> str | None:
        return None if cursor is None else replace_query_param(self.url, CURSOR, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self._link(self.found.next),
                "previous": self._link(self.found.previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": link | {"description": "The following page; null on the last."},
                "previous": link | {"description": "The page before; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        default = _default_size(view)
        return [
            {"name": CURSOR, "in": "query", "required": False,
             "description": "Where the page starts: copy it from a page's `next` or "
             "`previous` link (opaque; made for this list and sort only).",
             "schema": {"type": "string", "maxLength": keyset.MAX_CURSOR}},
            {"name": "page_size", "in": "query", "required": False,
             "description": f"Rows per page (default {default}, at most {MAX_PAGE_SIZE}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        ]  # fmt: skip


def _default_size(view: Any) -> int:
    return int(getattr(view, "page_size", PAGE_SIZE))


def _page_size(request: Request, default: int) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < MAX_ID):
        raise ValidationError({"page_size": "A positive whole number is required."})
    if int(raw) > MAX_PAGE_SIZE:
        raise ValidationError({"page_size": f"At most {MAX_PAGE_SIZE} rows per page."})
    return int(raw)
