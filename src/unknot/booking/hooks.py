"""What other apps add to a booking, without booking importing them.

A booked initial evaluation opens the patient's episode and intake, and its confirmation
email carries the link to that intake. Both belong to `records`, which sits above booking in
the layer order (docs/architecture.md), so records registers them here at start-up
(`RecordsConfig.ready`) and booking calls what was registered. Every way in (public pages,
portal, front desk, REST, FHIR) still books through `booking.services`, which runs the hooks,
so no caller can forget them.

The hooks run inside the booking's own transaction: when one raises, nothing is booked.
"""

from collections.abc import Callable

from unknot.booking.models import Appointment

AfterBooked = Callable[[Appointment], object]
IntakeLink = Callable[[Appointment], str]

_after_booked: list[AfterBooked] = []
_intake_links: list[IntakeLink] = []


def register(*, after_booked: AfterBooked, intake_link: IntakeLink) -> None:
    """Called once per app at start-up; registering the same function again changes nothing."""
    if after_booked not in _after_booked:
        _after_booked.append(after_booked)
    if intake_link not in _intake_links:
        _intake_links.append(intake_link)


def run_after_booked(appointment: Appointment) -> None:
    """After the booking's row is written, in its transaction, before its emails are queued."""
    for hook in _after_booked:
        hook(appointment)


def intake_link(appointment: Appointment) -> str:
    """The link to the intake this booking opened, for its confirmation; "" when there is none."""
    return next((link for hook in _intake_links if (link := hook(appointment))), "")
