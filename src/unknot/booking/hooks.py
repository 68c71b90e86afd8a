"""What other apps add to a booking, without booking importing them.

A booked initial evaluation opens the patient's episode and intake, and its confirmation
email carries the link to that intake. Both belong to `records`, which sits above booking in
the layer order (docs/architecture.md), so records registers them here at start-up
(`RecordsConfig.ready`) and booking calls what was registered. Every way in (public pages,
portal, front desk, REST, FHIR) still books through `booking.services`, which runs the hooks,
so no caller can forget them.

The hooks run inside the booking's own transaction: when one raises, nothing is booked. On
PostgreSQL they hand back their writes, and all of them are made in one statement.

The same way, a booked time that frees up (cancelled, or moved away) is told to whoever
registered for it (the waitlist, `WaitlistConfig.ready`), inside the cancellation's or the
move's transaction, before the appointment's row changes; what it starts must wait for the
commit, so a change that rolls back frees nothing.
Coverage warns before a booking goes past what the patient's insurer authorised (a count of
visits, a last day): `warnings_for` and `series_warnings_for` ask whoever registered
`booking_warnings` (`CoverageConfig.ready`). A warning never refuses: the staff pages show it
before anything is written and book once the desk confirms ("Book anyway").
Records also hands the calendar its safety flags (an open referral for medical review, an
emergency answer in the intake): each a condition the calendar adds to its one query of
appointments, so the grid shows them at no extra query.
"""

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from unknot.booking.models import Appointment, AppointmentType
from unknot.common.together import Writes, write_together
from unknot.patients.models import Patient

AfterBooked = Callable[[Appointment], Writes | None]
IntakeLink = Callable[[Appointment], str]
SlotFreed = Callable[[Appointment], object]
# (patient, starts of the visits to book, their type, ids of those visits already written
# and so not to be counted twice) -> (start, plain-words warning) for each visit warned of.
BookingWarnings = Callable[
    [Patient, Sequence[dt.datetime], AppointmentType, Collection[int]],
    list[tuple[dt.datetime, str]],
]

_after_booked: list[AfterBooked] = []
_intake_links: list[IntakeLink] = []
_after_slot_freed: list[SlotFreed] = []
_booking_warnings: list[BookingWarnings] = []


def register(
    *,
    after_booked: AfterBooked | None = None,
    intake_link: IntakeLink | None = None,
    after_slot_freed: SlotFreed | None = None,
    booking_warnings: BookingWarnings | None = None,
) -> None:
    """Called once per app at start-up; registering the same function again changes nothing."""
    _add(after_booked, _after_booked)
    _add(intake_link, _intake_links)
    _add(after_slot_freed, _after_slot_freed)
    _add(booking_warnings, _booking_warnings)


def _add[H](hook: H | None, registered: list[H]) -> None:
    if hook is not None and hook not in registered:
        registered.append(hook)


def run_after_booked(appointment: Appointment) -> None:
    """After the booking's row is written, in its transaction, before its emails are queued.

    A hook may make its writes itself, or hand them back (`Writes`, on PostgreSQL): those
    of every hook are then made together, in one statement (`common.together`).
    """
    writes = [w for hook in _after_booked if isinstance(w := hook(appointment), Writes)]
    write_together(writes, using=appointment._state.db or DEFAULT_DB_ALIAS)


def intake_link(appointment: Appointment) -> str:
    """The link to the intake this booking opened, for its confirmation; "" when there is none."""
    return next((link for hook in _intake_links if (link := hook(appointment))), "")


def run_after_slot_freed(appointment: Appointment) -> None:
    """A booked visit is about to be cancelled or moved away: its time may free up. Called in
    that change's transaction while `appointment` still holds its old therapist and time."""
    for hook in _after_slot_freed:
        hook(appointment)


def warnings_for(
    patient: Patient,
    start: dt.datetime,
    appointment_type: AppointmentType,
    *,
    already_booked: Collection[int] = (),
) -> list[str]:
    """What staff should know before booking this visit (past the authorised count or
    dates); empty when nothing is wrong. Read only: it changes nothing and refuses nothing.
    `already_booked`: a visit being moved, so that it is not counted at its old time too."""
    found = [hook(patient, [start], appointment_type, already_booked) for hook in _booking_warnings]
    return [words for warnings in found for _, words in warnings]


def series_warnings_for(
    patient: Patient,
    starts: Sequence[dt.datetime],
    appointment_type: AppointmentType,
    *,
    already_booked: Collection[int] = (),
) -> list[tuple[dt.datetime, str]]:
    """The visits of a series that fall outside what was authorised, each with its reason,
    in the order of `starts`. `already_booked`: the series' own appointments when it was just
    reserved, so that they are not counted once as existing visits and again as new ones."""
    found = [
        warning
        for hook in _booking_warnings
        for warning in hook(patient, starts, appointment_type, already_booked)
    ]
    return sorted(found, key=lambda warning: warning[0])


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
