"""docs/api.md stays honest: every endpoint served under /api/v1/ is in it, with its methods,
and the docs keep the sections a reader of the API needs."""

import re
from pathlib import Path

from django.urls import reverse

from unknot.config.urltable import declared_routes

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
METHODS = ("get", "post", "put", "patch", "delete")


def documented_path(route: str) -> str:
    """`api/v1/plans/<str:id>/` as the docs write it: `/api/v1/plans/{id}/`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def served() -> dict[str, object]:
    return {
        documented_path(route): view
        for name, route, view in declared_routes()
        if name.startswith("api:")
    }


def table_rows(text: str) -> dict[str, str]:
    rows = re.findall(r"^\| `(/api/v1/[^`]*)` \| ([^|]+) \|$", text, flags=re.MULTILINE)
    return {path: methods.strip() for path, methods in rows}


def test_every_served_endpoint_is_documented_with_its_methods() -> None:
    rows = table_rows(DOCS.read_text())
    endpoints = served()
    assert len(endpoints) >= 27
    assert set(endpoints) - set(rows) == set(), "add these endpoints to docs/api.md"
    assert set(rows) - set(endpoints) == set(), "docs/api.md lists endpoints that do not exist"
    for path, view in endpoints.items():
        cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
        if cls is None:  # the tokens page: a plain Django view, documented as HTML
            continue
        methods = [m.upper() for m in METHODS if hasattr(cls, m)]
        assert rows[path] == ", ".join(methods), path


def test_the_docs_explain_what_a_reader_needs() -> None:
    text = DOCS.read_text()
    for heading in ("## Authentication", "## Pagination", "## Filters and sorting", "## Errors",
                    "## Versioning", "## FHIR R4"):  # fmt: skip
        assert heading in text
    for url in ("api:schema", "api:docs", "api:tokens"):
        assert f"`{reverse(url)}`" in text
    assert "Authorization: Bearer" in text and "curl" in text
