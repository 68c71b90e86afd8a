"""Every URL of the walk with real arguments, made from one practice per test (or, with
`every_url_for_a_module`, one practice for every test of a module).

Some rows of the access matrix make their objects on each call (the REST API's a whole
practice, the staff calendar's an appointment at a fixed time). A test that visits every URL
must make each of them once, or PostgreSQL's exclusion constraint refuses the second booking
of the same therapist at the same time (SQLite has no such constraint, so only the
PostgreSQL run would notice).
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from tests.api.world import World, build_world
from tests.personas import Cast, make_cast
from tests.shared_rows import rows_shared_by_a_group
from tests.web import matrix_api, matrix_booking_staff
from tests.web.test_access_matrix import MATRIX
from tests.web.urlwalk import walk
from unknot.booking.links import manage_token

ROUTES = sorted(walk(), key=lambda route: (route.name.endswith("logout"), route.name))


def once(make: Callable[[Cast], Any]) -> Callable[[Cast], Any]:
    made: list[Any] = []
    return lambda cast: made[0] if made else made.append(make(cast)) or made[0]


def as_patched(function: Callable[[Cast], Any]) -> Callable[[Cast], Any]:
    """The function as its module holds it now (the matrix keeps the one from import time)."""
    patched = getattr(sys.modules[function.__module__], function.__name__, function)
    return patched if callable(patched) else function


def one_practice(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> World:
    """The REST API's practice and the staff calendar's appointment, made once for the test."""
    built = build_world(cast)
    monkeypatch.setattr(matrix_api, "build_world", lambda cast: built)
    monkeypatch.setattr(
        matrix_booking_staff, "appointment_a", once(matrix_booking_staff.appointment_a)
    )
    return built


def every_url(cast: Cast, world: World) -> dict[str, str]:
    """URL name -> path, with the access matrix's arguments (each made once)."""
    arguments = {f: once(as_patched(f)) for f, _ in MATRIX.values() if f is not None}
    found = {}
    for route in ROUTES:
        kwargs_for = MATRIX[route.name][0]
        kwargs = arguments[kwargs_for](cast) if kwargs_for else None
        if route.name.startswith("booking:manage"):  # the matrix forges the token
            kwargs = {"token": manage_token(world.p.appointment)}
        found[route.name] = reverse(route.name, kwargs=kwargs)
    return found


@dataclass(frozen=True)
class EveryUrl:
    cast: Cast
    world: World
    urls: dict[str, str]


@contextmanager
def every_url_for_a_module(django_db_blocker: Any) -> Iterator[EveryUrl]:
    """The cast, one practice and every URL, made once for the tests of a module (each test
    still in its own savepoint: tests/shared_rows.py). Every test of the module that needs
    the cast must take it from here: a second cast would repeat its usernames."""
    with rows_shared_by_a_group(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        with django_db_blocker.unblock():
            cast = make_cast()
            world = one_practice(cast, patch)
            urls = every_url(cast, world)
        yield EveryUrl(cast, world, urls)
