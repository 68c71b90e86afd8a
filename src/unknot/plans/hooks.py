"""What other apps add to a signed visit note, without plans importing them.

A signed note is what the practice bills: billing makes the visit's charge from it. Billing
sits above plans in the layer order (docs/architecture.md), so it registers its work here at
start-up (`BillingConfig.ready`) and `visits.visit_sign` runs what was registered, inside the
signing's own transaction: when a hook raises, the note stays unsigned.
"""

import datetime as dt
from collections.abc import Callable

from unknot.accounts.models import User
from unknot.records.models import Visit

AfterVisitSigned = Callable[[Visit, User, dt.datetime], object]

_after_visit_signed: list[AfterVisitSigned] = []


def register(*, after_visit_signed: AfterVisitSigned | None = None) -> None:
    """Called once per app at start-up; registering the same function again changes nothing."""
    if after_visit_signed is not None and after_visit_signed not in _after_visit_signed:
        _after_visit_signed.append(after_visit_signed)


def run_after_visit_signed(visit: Visit, by: User, now: dt.datetime) -> None:
    """After the note's signature is saved, in the signing's transaction."""
    for hook in _after_visit_signed:
        hook(visit, by, now)
