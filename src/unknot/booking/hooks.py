"""What other apps add to a booking, without booking importing them.

A booked initial evaluation opens the patient's episode and intake, and its confirmation
email carries the link to that intake. Both belong to `records`, which sits above booking in
the layer order (docs/architecture.md), so records registers them here at start-up
(`RecordsConfig.ready`) and booking calls what was registered. Every way in (public pages,
portal, front desk, REST, FHIR) still books through `booking.services`, which runs the hooks,
so no caller can forget them.

The hooks run inside the booking's own transaction: when one raises, nothing is booked.

The same way, a booked time that frees up (cancelled, or moved away) is told to whoever
registered for it (the waitlist, `WaitlistConfig.ready`), inside the cancellation's or the
move's transaction, before the appointment's row changes; what it starts must wait for the
commit, so a change that rolls back frees nothing.
Records also hands the calendar its safety flags (an open referral for medical review, an
emergency answer in the intake): each a condition the calendar adds to its one query of
appointments, so the grid shows them at no extra query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from unknot.booking.models import Appointment

AfterBooked = Callable[[Appointment], object]
IntakeLink = Callable[[Appointment], str]
SlotFreed = Callable[[Appointment], object]

_after_booked: list[AfterBooked] = []
_intake_links: list[IntakeLink] = []
_after_slot_freed: list[SlotFreed] = []


def register(
    *,
    after_booked: AfterBooked | None = None,
    intake_link: IntakeLink | None = None,
    after_slot_freed: SlotFreed | None = None,
) -> None:
    """Called once per app at start-up; registering the same function again changes nothing."""
    _add(after_booked, _after_booked)
    _add(intake_link, _intake_links)
    _add(after_slot_freed, _after_slot_freed)


def _add[H](hook: H | None, registered: list[H]) -> None:
    if hook is not None and hook not in registered:
        registered.append(hook)


def run_after_booked(appointment: Appointment) -> None:
    """After the booking's row is written, in its transaction, before its emails are queued."""
    for hook in _after_booked:
        hook(appointment)


def intake_link(appointment: Appointment) -> str:
    """The link to the intake this booking opened, for its confirmation; "" when there is none."""
    return next((link for hook in _intake_links if (link := hook(appointment))), "")


def run_after_slot_freed(appointment: Appointment) -> None:
    """A booked visit is about to be cancelled or moved away: its time may free up. Called in
    that change's transaction while `appointment` still holds its old therapist and time."""
    for hook in _after_slot_freed:
        hook(appointment)


@dataclass(frozen=True)
class CalendarFlag:
    """A safety flag shown on an appointment's block: `condition()` is a boolean expression
    over the appointment's row (e.g. an `Exists` with `OuterRef`), `words` what staff read."""

    key: str
    words: str
    condition: Callable[[], Any]

    @property
    def field(self) -> str:
        return f"flag_{self.key}"


_calendar_flags: list[CalendarFlag] = []


def register_calendar_flag(flag: CalendarFlag) -> None:
    if all(known.key != flag.key for known in _calendar_flags):
        _calendar_flags.append(flag)


def with_calendar_flags(rows: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """The appointments with one boolean per registered flag, in the same query."""
    return rows.annotate(**{flag.field: flag.condition() for flag in _calendar_flags})


def calendar_flags_of(appointment: Appointment) -> list[str]:
    """The words of the flags raised on this appointment (read by `with_calendar_flags`)."""
    return [flag.words for flag in _calendar_flags if getattr(appointment, flag.field, False)]


def calendar_flag_words() -> list[str]:
    return [flag.words for flag in _calendar_flags]
