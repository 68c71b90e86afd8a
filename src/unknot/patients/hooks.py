"""What other apps show on the staff's patient page, without patients importing them.

The page belongs to `patients`, below the apps that know why a patient needs attention
(booking's attendance policy, for one: docs/architecture.md's layer order). Those apps
register a function here at start-up (`BookingConfig.ready`); the page calls each one with
the reader and the record. Each must cost a fixed number of queries.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from unknot.accounts.models import AnyUser
from unknot.patients.models import Patient


@dataclass(frozen=True)
class PageFlag:
    """A flag on the patient's page: a short label that links to the work, and its words."""

    label: str
    url: str
    words: str


FlagsOf = Callable[[AnyUser, Patient, dt.datetime], list[PageFlag]]

_flags: list[FlagsOf] = []


def register(*, flags: FlagsOf) -> None:
    """Called once per app at start-up; registering the same function again changes nothing."""
    if flags not in _flags:
        _flags.append(flags)


def page_flags(user: AnyUser, patient: Patient, now: dt.datetime) -> list[PageFlag]:
    return [flag for flags_of in _flags for flag in flags_of(user, patient, now)]
