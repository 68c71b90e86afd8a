"""Shared by the waitlist's tests: people on the list, a booked time freed, offers' links.

The clock is the shared calendar's NOW (Monday 2031-03-03 12:00 UTC, 07:00 at clinic A);
the freed times are on the Wednesday after, in clinic A's wall clock.
"""

import datetime as dt
import itertools
from typing import Any

from tests import factories
from tests.calendar import NOW, Calendar, local
from unknot.booking import services as booking
from unknot.booking.models import Appointment, AppointmentType
from unknot.outbox.models import OutboxEmail
from unknot.patients.models import Patient
from unknot.waitlist import links, offers, services
from unknot.waitlist.models import ALL_WEEKDAYS, Offer, Opening, TimeOfDay, WaitlistEntry

WEDNESDAY = dt.date(2031, 3, 5)
_names = itertools.count(1)


def wishes(**overrides: Any) -> services.Wishes:
    fields: dict[str, Any] = {
        "weekdays": ALL_WEEKDAYS,
        "time_of_day": TimeOfDay.ANY,
        "first_day": NOW.date(),
        "last_day": NOW.date() + dt.timedelta(days=60),
    }
    return services.Wishes(**(fields | overrides))


def someone(cal: Calendar, first: str = "") -> Patient:
    return factories.patient(first or f"Waiter{next(_names)}", "Queue", cal.cast.clinic_a)


def join(
    cal: Calendar,
    patient: Patient | None = None,
    *,
    kind: AppointmentType | None = None,
    therapist: Any = None,
    at: dt.datetime = NOW,
    **wish: Any,
) -> WaitlistEntry:
    """The front desk of clinic A puts the patient (a new one by default) on the list."""
    return services.entry_join(
        by=cal.cast.front_desk_a, patient=patient or someone(cal), clinic=cal.cast.clinic_a,
        appointment_type=kind or cal.follow_up_a,
        therapist=therapist.staff_member if therapist else None, wishes=wishes(**wish), now=at,
    )  # fmt: skip


def booked_then_cancelled(
    cal: Calendar, hhmm: str = "10:00", day: dt.date = WEDNESDAY, now: dt.datetime = NOW
) -> Appointment:
    """Someone's follow-up with therapist A at clinic A, booked and then cancelled at `now`."""
    visit = factories.booked_appointment(
        cal, patient=someone(cal, "Leaver"), type=cal.follow_up_a,
        when=local(cal.cast.clinic_a, day, hhmm), now=now - dt.timedelta(days=1),
    )  # fmt: skip
    return booking.appointment_cancel(by=cal.cast.front_desk_a, appointment=visit, now=now)


def offered(appointment: Appointment, now: dt.datetime = NOW) -> Opening | None:
    """What the worker does once the cancellation has committed."""
    return offers.open_freed_time(
        clinic_id=appointment.clinic_id, therapist_id=appointment.therapist_id,
        type_id=appointment.appointment_type_id, start=appointment.start, now=now,
    )  # fmt: skip


def offer_of(entry: WaitlistEntry) -> Offer:
    return Offer.objects.get(entry=entry)


def offered_to(opening: Opening) -> list[WaitlistEntry]:
    return [o.entry for o in opening.offers.select_related("entry").order_by("pk")]


def emails(kind: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(kind=kind).order_by("pk"))


def link_path(email: OutboxEmail) -> str:
    """The path of the offer link an email carries (the site's address left off)."""
    [line] = [w for w in email.body.split() if "/waitlist/offer/" in w]
    return line[line.index("/waitlist/offer/") :]


def token_of(offer: Offer) -> str:
    return links.offer_token(offer.pk)
