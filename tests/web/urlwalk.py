"""Walks the project's URL patterns so tests can insist every one declares its access rule."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from unknot.config.urltable import declared_routes


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str
    callback: Any


def walk() -> Iterator[Route]:
    for name, route, callback in declared_routes():
        yield Route(name, route, callback)
