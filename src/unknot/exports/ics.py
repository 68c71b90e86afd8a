"""The iCalendar document of a person's feed (RFC 5545, through `icalendar`).

An event says only what the person needs to turn up: the kind of visit, the clinic and its
address and phone, the therapist and the time. Nothing clinical, no name: calendars are
synced to phones and shared. Each event keeps the UID of the booking emails' invitations
(`unknot.booking.ics.uid`), so a calendar app treats the feed and the emails as one event.
A cancelled visit stays in the feed with STATUS:CANCELLED, which calendar apps show struck
through or remove; a moved visit keeps its UID with the new time and a higher SEQUENCE.
"""

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from unknot.booking.ics import PRODID, uid
from unknot.booking.models import Appointment, Status


def _event(appointment: Appointment, now: dt.datetime) -> Event:
    clinic, kind = appointment.clinic, appointment.appointment_type
    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", now)
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("summary", f"{kind.name} at {clinic.name}")
    event.add("location", f"{clinic.name}, {clinic.one_line_address}")
    event.add(
        "description",
        f"Physical therapy with {appointment.therapist.display_name}. Phone {clinic.phone}.",
    )
    # SEQUENCE grows with every change (as in the booking emails) so apps replace the old copy.
    event.add("sequence", int(appointment.updated_at.timestamp()) if appointment.updated_at else 0)
    cancelled = appointment.status == Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def patient_feed(appointments: Iterable[Appointment], practice: str, now: dt.datetime) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{practice}: my appointments")
    for appointment in appointments:
        calendar.add_component(_event(appointment, now))
    return str(calendar.to_ical().decode())
