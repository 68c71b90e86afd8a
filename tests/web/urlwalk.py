"""Walks the project's URL patterns so tests can insist every one declares its access rule."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str
    callback: Any


def walk(patterns: Any = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin site guards itself; tested on its own
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":")
            yield Route(name, prefix + str(entry.pattern), entry.callback)
