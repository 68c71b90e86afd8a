"""Fixtures of the failure tests: DEBUG off, a client that gets the error page (not the
exception), and a fixed clock for the booking calendar."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.booking.builders import NOW
from tests.booking.conftest import calendar  # noqa: F401  (the booking tests' calendar)


@pytest.fixture(autouse=True)
def _debug_off(settings: Any) -> None:
    # Production answers errors with the plain page; DEBUG would show Django's debug page.
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.fixture
def visitor() -> Client:
    """A visitor's client: an unhandled error comes back as the page a visitor would get."""
    return Client(raise_request_exception=False)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Every view reads this "now" (Monday 2031-03-03 12:00 UTC), so the calendar is fixed."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW
