"""Dates and appointments for the demo's courses of care, booked through the booking services.

The demo books its past visits "at the time": each booking is made with the moment the front
desk would have made it, so every rule (opening hours, closures, notice, no double booking)
is checked exactly as for a real booking.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from unknot.accounts.models import User
from unknot.accounts.roles import Role
from unknot.booking import services as booking
from unknot.booking.models import (
    Appointment,
    AppointmentKind,
    AppointmentType,
    Status,
)
from unknot.clinics.models import Clinic, StaffMember
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.patients.models import Patient

VISIT_TIME = dt.time(10, 0)
# The longest demo appointment (60 min evaluation + 10 min buffer) must fit before closing.
LATEST_END = dt.time(11, 10)


def local_day(clinic: Clinic, moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(clinic.time_zone)).date()


def at(clinic: Clinic, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time at the clinic, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(clinic.time_zone))


def _takes_visits(clinic: Clinic, day: dt.date) -> bool:
    open_then = clinic.opening_hours.filter(
        weekday=day.weekday(), opens__lte=VISIT_TIME, closes__gte=LATEST_END
    ).exists()
    closed = clinic.closures.filter(start_date__lte=day, end_date__gte=day).exists()
    return day.weekday() < 5 and open_then and not closed


def open_day(clinic: Clinic, day: dt.date) -> dt.date:
    """The first weekday from `day` on when the clinic sees people at the usual visit time."""
    for _ in range(31):
        if _takes_visits(clinic, day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError(f"{clinic.name} has no visit day within a month of {day}.")


def open_day_before(clinic: Clinic, day: dt.date) -> dt.date:
    """The last day before `day` when the clinic saw people at the usual visit time."""
    for _ in range(31):
        day -= dt.timedelta(days=1)
        if _takes_visits(clinic, day):
            return day
    raise ValueError(f"{clinic.name} had no visit day within a month before {day}.")


def front_desk(clinic: Clinic) -> User:
    """Who books and checks people in: the clinic's front desk, else its manager."""
    for role in (Role.FRONT_DESK, Role.MANAGER):
        member = StaffMember.objects.filter(role=role, clinics=clinic).order_by("pk").first()
        if member is not None:
            return member.user
    raise ValueError(f"{clinic.name} has nobody to book visits.")


def book(
    *,
    clinic: Clinic,
    kind: str,
    therapist: StaffMember,
    patient: Patient,
    day: dt.date,
    booked_at: dt.datetime,
) -> Appointment:
    return booking.appointment_book(
        by=front_desk(clinic),
        clinic=clinic,
        appointment_type=AppointmentType.objects.get(clinic=clinic, kind=kind),
        therapist=therapist,
        patient=patient,
        start=at(clinic, day, VISIT_TIME.hour),
        now=booked_at,
    )


def evaluation_booked_at(clinic: Clinic, day: dt.date) -> dt.datetime:
    """People book their first visit about a week ahead, in the morning."""
    return at(clinic, day - dt.timedelta(days=7), 9)


def book_evaluation(patient: Patient, therapist: StaffMember, day: dt.date) -> Appointment:
    """The first visit: booking it is what opens the episode and its intake."""
    clinic = patient.preferred_clinic
    assert clinic is not None
    return book(clinic=clinic, kind=AppointmentKind.INITIAL, therapist=therapist,
                patient=patient, day=day, booked_at=evaluation_booked_at(clinic, day))  # fmt: skip


def completed(appointment: Appointment) -> Appointment:
    """The person came: the front desk marks the visit completed."""
    desk = front_desk(appointment.clinic)
    return booking.appointment_mark(
        by=desk, appointment=appointment, status=Status.COMPLETED, now=appointment.end
    )


def staff_user(username: str) -> User:
    return get_user_model().objects.select_related("staff_member").get(username=username)


def silence_emails(clinics: list[Clinic]) -> int:
    """The demo's people are invented: the emails its bookings queued are never sent."""
    queued = OutboxEmail.objects.filter(clinic_id__in=[c.pk for c in clinics])
    return queued.filter(status=OutboxStatus.QUEUED).update(status=OutboxStatus.CANCELLED)
