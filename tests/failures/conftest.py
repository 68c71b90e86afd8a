"""Fixtures of the failure tests: DEBUG off, a client that gets the error page (not the
exception), and a fixed clock for the booking calendar."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.calendar import NOW


@pytest.fixture(autouse=True)
def _debug_off(settings: Any) -> None:
    # Production answers errors with the plain page; DEBUG would show Django's debug page.
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.fixture(autouse=True)
def _many_people_at_one_moment(settings: Any) -> None:
    """These tests start booking after booking from one address while the clock stands
    still, and a cut request leaves its hold live: like a crowd holding one therapist's day
    at once. The fair-use limits on holds would refuse them (tests/booking/test_fair_use.py
    shows that); here they are lifted, because what is tested is the outage."""
    settings.BOOKING_HOLDS_PER_ADDRESS = 1000
    settings.BOOKING_HOLD_SHARE_PERCENT = 100


@pytest.fixture
def visitor() -> Client:
    """A visitor's client: an unhandled error comes back as the page a visitor would get."""
    return Client(raise_request_exception=False)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Every view reads this "now" (Monday 2031-03-03 12:00 UTC), so the calendar is fixed."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW
