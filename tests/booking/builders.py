"""Calendar test data: appointment types and working hours for the persona clinics."""

import datetime as dt
import zoneinfo

from unknot.booking.models import AppointmentType, OnlineBooking, WorkingHours
from unknot.clinics.models import Clinic, StaffMember

# A fixed "now" far enough ahead that every test date is in the future: Monday 2031-03-03 12:00 UTC.
NOW = dt.datetime(2031, 3, 3, 12, 0, tzinfo=dt.UTC)


def evaluation_type(clinic: Clinic, **fields: object) -> AppointmentType:
    defaults: dict[str, object] = {
        "kind": "initial_evaluation",
        "name": "Initial evaluation",
        "duration_minutes": 60,
        "buffer_after_minutes": 10,
        "min_notice_minutes": 120,
        "horizon_days": 60,
        "online_booking": OnlineBooking.NEW_PATIENTS,
    }
    return AppointmentType.objects.create(clinic=clinic, **(defaults | fields))


def follow_up_type(clinic: Clinic, **fields: object) -> AppointmentType:
    defaults: dict[str, object] = {
        "kind": "follow_up",
        "name": "Follow-up",
        "duration_minutes": 45,
        "min_notice_minutes": 60,
        "horizon_days": 120,
        "online_booking": OnlineBooking.PATIENTS_WITH_PLAN,
    }
    return AppointmentType.objects.create(clinic=clinic, **(defaults | fields))


def works_weekdays(
    therapist_user: object, clinic: Clinic, start: str = "08:00", end: str = "18:00"
) -> None:
    member = StaffMember.objects.get(user=therapist_user)
    for weekday in range(5):
        WorkingHours.objects.create(
            therapist=member,
            clinic=clinic,
            weekday=weekday,
            start=dt.time.fromisoformat(start),
            end=dt.time.fromisoformat(end),
        )


def local(clinic: Clinic, day: dt.date, hhmm: str) -> dt.datetime:
    """An aware instant for a wall-clock time at the clinic."""
    wall = dt.datetime.combine(day, dt.time.fromisoformat(hhmm))
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(clinic.time_zone)).astimezone(dt.UTC)
