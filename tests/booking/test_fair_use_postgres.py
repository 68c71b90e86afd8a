"""The limits on holds under a race, on PostgreSQL: holds fired at once, from different
visitors, still keep to the share of a therapist's day and to the holds per address.

Each racer's hold is written and then counted in one transaction; without the lock that
serialises the holds of one therapist's day, each racer counts only itself (with the lock
taken out, all eight racers of the share test win, 37 of 37 start times held).
"""

import datetime as dt

import pytest

from tests import calendar as cal
from tests.concurrency import race
from tests.personas import Cast, make_cast
from unknot.booking import hold_limits, services
from unknot.booking.errors import BusyNow, HoldsPerAddress, SlotTaken
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.clinics.models import Clinic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = cal.NOW
TUESDAY = NOW.date() + dt.timedelta(days=1)
APART = ("08:00", "09:15", "10:30", "11:45", "13:00", "14:15", "15:30", "16:45")  # no overlap


@pytest.fixture
def practice() -> tuple[Cast, AppointmentType]:
    cast = make_cast()
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    return cast, cal.evaluation_type(cast.clinic_a)


def try_hold(
    cast: Cast, kind: AppointmentType, start: dt.datetime, visitor: str, address: str
) -> str:
    try:
        services.hold_slot(
            clinic=Clinic.objects.get(pk=cast.clinic_a.pk),  # each thread its own rows
            appointment_type=AppointmentType.objects.get(pk=kind.pk),
            therapist_id=cast.therapist_a.staff_member.pk,
            start=start,
            now=NOW,
            visitor=visitor,
            address=address,
        )
    except BusyNow:
        return "busy"
    except HoldsPerAddress:
        return "address"
    except SlotTaken:
        return "taken"
    return "held"


@pytest.mark.parametrize("share", [25, 50])
def test_racing_holds_keep_to_the_share_of_the_therapists_day(
    practice: tuple[Cast, AppointmentType], settings: object, share: int
) -> None:
    settings.BOOKING_HOLD_SHARE_PERCENT = share  # type: ignore[attr-defined]
    cast, kind = practice
    starts = [cal.local(cast.clinic_a, TUESDAY, hhmm) for hhmm in APART]

    def work(i: int) -> str:
        return try_hold(cast, kind, starts[i], f"visitor {i}", f"203.0.113.{i + 1}")

    outcome = race(work, len(starts))
    assert set(outcome) <= {"held", "busy"}, outcome
    assert outcome["held"] >= 1
    holds = list(Appointment.objects.filter(status=Status.HELD))
    assert len(holds) == outcome["held"]
    taken, whole = hold_limits.held_starts(holds[0], TUESDAY, NOW)
    assert len(holds) == 1 or taken * 100 <= share * whole, (taken, whole, outcome)


def test_racing_holds_from_one_address_keep_to_its_limit(
    practice: tuple[Cast, AppointmentType], settings: object
) -> None:
    cast, kind = practice
    days = [TUESDAY + dt.timedelta(days=n) for n in range(10)]
    days = [day for day in days if day.weekday() < 5][:6]  # one hold a day: never the share
    starts = [cal.local(cast.clinic_a, day, "10:00") for day in days]

    def work(i: int) -> str:
        return try_hold(cast, kind, starts[i], f"visitor {i}", "198.51.100.20")

    outcome = race(work, len(starts))
    limit = settings.BOOKING_HOLDS_PER_ADDRESS  # type: ignore[attr-defined]
    assert outcome == {"held": limit, "address": len(starts) - limit}, outcome
    assert Appointment.objects.filter(status=Status.HELD).count() == limit


def test_racing_holds_of_one_visitor_leave_one(practice: tuple[Cast, AppointmentType]) -> None:
    cast, kind = practice
    days = [TUESDAY + dt.timedelta(days=n) for n in (0, 1, 2)]
    starts = [cal.local(cast.clinic_a, day, "10:00") for day in days]

    def work(i: int) -> str:
        return try_hold(cast, kind, starts[i], "one visitor", "198.51.100.20")

    outcome = race(work, len(starts))
    assert outcome == {"held": 3}, outcome
    assert Appointment.objects.filter(status=Status.HELD).count() == 1
