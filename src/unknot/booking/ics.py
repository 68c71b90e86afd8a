"""iCalendar documents for bookings and therapist feeds (RFC 5545, through `icalendar`)."""

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from unknot.booking.models import Appointment, Status

PRODID = "-//unknot//booking//EN"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@unknot"


def _event(appointment: Appointment, summary: str, description: str, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", now)
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("summary", summary)
    event.add("location", f"{appointment.clinic.name}, {appointment.clinic.one_line_address}")
    event.add("description", description)
    # SEQUENCE grows with every change so calendar apps replace the old copy.
    event.add("sequence", int(appointment.updated_at.timestamp()) if appointment.updated_at else 0)
    cancelled = appointment.status == Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def patient_invite(appointment: Appointment, now: dt.datetime) -> str:
    """The attachment of a confirmation (REQUEST) or a cancellation (CANCEL) email."""
    cancelled = appointment.status == Status.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    summary = f"{appointment.appointment_type.name} at {appointment.clinic.name}"
    therapist, phone = appointment.therapist.display_name, appointment.clinic.phone
    description = f"Physical therapy with {therapist}. Phone {phone}."
    calendar.add_component(_event(appointment, summary, description, now))
    return calendar.to_ical().decode()


def therapist_feed(
    appointments: Iterable[Appointment], name: str, now: dt.datetime, *, initials: bool = False
) -> str:
    """A therapist's private feed. Calendars leak to phones, so a summary names no patient
    ("Booked visit (Initial evaluation)"), or, when the feed's creator chose so, their
    initials only ("Initial evaluation · P.P.")."""
    calendar = _calendar()
    calendar.add("x-wr-calname", f"unknot: {name}")
    for appointment in appointments:
        kind = appointment.appointment_type.name
        summary = f"{kind} · {_initials(appointment)}" if initials else f"Booked visit ({kind})"
        calendar.add_component(_event(appointment, summary, appointment.clinic.name, now))
    return calendar.to_ical().decode()


def _initials(appointment: Appointment) -> str:
    patient = appointment.patient
    if patient is None:
        return "patient"
    return f"{patient.first_name[:1]}.{patient.last_name[:1]}."
