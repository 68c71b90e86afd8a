"""The one calendar the tests share: the cast's clinics, open 08-18 on weekdays, their
therapists working those hours, and the evaluation and follow-up appointment types.

`calendar` (tests/conftest.py) builds it on the cast; the booking, API and FHIR tests use it
as it is or wrap it with what only they need (the API's tokens and records, FHIR's schedule
ids). The pieces it is made of (`evaluation_type`, `follow_up_type`, `works_weekdays`) and the
clock helpers (`NOW`, `local`, `working_day`) are here too, for tests that need one more of them.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from unknot.booking.models import AppointmentKind, AppointmentType, OnlineBooking, WorkingHours
from unknot.clinics.models import Clinic, StaffMember

if TYPE_CHECKING:
    from tests.personas import Cast

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


def working_day(days_ahead: int = 3, after: dt.date | None = None) -> dt.date:
    """A Wednesday at least `days_ahead` days after `after` (today): past any notice, inside
    the horizon."""
    day = (after or timezone.now().date()) + dt.timedelta(days=days_ahead)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


@dataclass
class Calendar:
    cast: "Cast"
    evaluation_a: AppointmentType
    follow_up_a: AppointmentType
    evaluation_b: AppointmentType

    def evaluation_at(self, clinic: Clinic) -> AppointmentType:
        return self.evaluation_a if clinic.pk == self.cast.clinic_a.pk else self.evaluation_b

    def follow_up_at(self, clinic: Clinic) -> AppointmentType:
        """Clinic B has no follow-up type until a test asks for one here."""
        if clinic.pk == self.cast.clinic_a.pk:
            return self.follow_up_a
        return _kind(clinic, AppointmentKind.FOLLOW_UP, follow_up_type)


def _kind(clinic: Clinic, kind: str, make: Callable[[Clinic], AppointmentType]) -> AppointmentType:
    """The clinic's first type of that kind, made when it has none (so a test that made its
    own types and then asks for the calendar keeps them)."""
    found = AppointmentType.objects.filter(clinic=clinic, kind=kind).order_by("pk").first()
    return found or make(clinic)


def evaluation_at(clinic: Clinic) -> AppointmentType:
    """The clinic's initial evaluation type, made when it has none."""
    return _kind(clinic, AppointmentKind.INITIAL, evaluation_type)


def works_there(therapist_user: object, clinic: Clinic) -> None:
    """The therapist works 08-18 on weekdays at the clinic, unless hours are already set."""
    if not WorkingHours.objects.filter(therapist__user=therapist_user, clinic=clinic).exists():
        works_weekdays(therapist_user, clinic)


def make_calendar(cast: "Cast") -> Calendar:
    """The calendar on the cast; asking again returns the same rows, never a second set."""
    works_there(cast.therapist_a, cast.clinic_a)
    works_there(cast.therapist_b, cast.clinic_b)
    return Calendar(
        cast=cast,
        evaluation_a=_kind(cast.clinic_a, AppointmentKind.INITIAL, evaluation_type),
        follow_up_a=_kind(cast.clinic_a, AppointmentKind.FOLLOW_UP, follow_up_type),
        evaluation_b=_kind(cast.clinic_b, AppointmentKind.INITIAL, evaluation_type),
    )
