"""Simultaneous first bookings of one new person on PostgreSQL: one patient record, every booking.

Each racer has its own held time and the same details (the same email, in other letters, and
birth date), as the last step of the online booking passes them to `confirm_hold`; all confirm
at once. Every one of them is booked, and all the bookings belong to one patient record: the
unique constraint lets one record in, and the others take it
(`patients.services.patient_match_or_create`). Before, each racer filed a record of its own.

Needs DATABASE_URL pointing at PostgreSQL (the PostgreSQL pass of .ci/run); skipped otherwise.
"""

import datetime as dt

import pytest

from tests import calendar as cal
from tests.concurrency import race
from tests.personas import make_cast
from unknot.booking import services
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.clinics.models import StaffMember
from unknot.patients.models import Patient
from unknot.patients.services import PersonDetails

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

RACERS = 8
ROUNDS = 5
NOW = cal.NOW


def held(kind: AppointmentType, therapist: StaffMember, start: dt.datetime) -> Appointment:
    """A live hold, as the online booking's first step leaves it."""
    hold = services._new_appointment(
        kind.clinic, kind, therapist, start, status=Status.HELD, source="online",
        hold_expires_at=NOW + dt.timedelta(minutes=10),
    )  # fmt: skip
    hold.save()
    return hold


def person(n: int, i: int) -> PersonDetails:
    email = f"new.person.{n}@example.org"
    spelling = (email, email.upper(), email.title())[i % 3]
    return PersonDetails("Rosa", "Marsh", dt.date(1984, 7, 23), spelling, "(207) 555-0199")


def test_simultaneous_first_bookings_of_one_person_make_one_record() -> None:
    cast = make_cast()
    therapist = cast.therapist_a.staff_member
    kind = cal.evaluation_type(cast.clinic_a)
    day = dt.date(2031, 3, 4)
    for n in range(ROUNDS):
        first = cal.local(cast.clinic_a, day + dt.timedelta(days=n), "08:00")
        holds = [held(kind, therapist, first + dt.timedelta(minutes=75 * i)) for i in range(RACERS)]

        def confirm(i: int, holds: list[Appointment] = holds, n: int = n) -> int | None:
            booked = services.confirm_hold(hold_id=holds[i].pk, patient=person(n, i), now=NOW)
            return booked.patient_id

        outcome = race(confirm, RACERS)
        assert len(outcome) == 1 and sum(outcome.values()) == RACERS, f"round {n}: {outcome}"
        records = Patient.objects.filter(email__iexact=person(n, 0).email)
        assert records.count() == 1, f"round {n}: {records.count()} records of one person"
        booked = Appointment.objects.filter(patient=records.get(), status=Status.BOOKED)
        assert booked.count() == RACERS
    assert Patient.objects.count() == 2 + ROUNDS  # the cast's two, and one per new person
