"""A "now" that tests move by hand: holds run out, throttle windows end, feeds go stale."""

import datetime as dt

import pytest
from django.utils import timezone


class Clock:
    """What `timezone.now()` answers while the test runs, advanced with `advance(minutes=5)`."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def stopped_at(now: dt.datetime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A clock at `now` that every `timezone.now()` reads until the test ends."""
    clock = Clock(now)
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock
