"""Bench data, made the same way every run (fixed seed), in our tables and the peer's.

* `availability_practice`: one clinic, 20 therapists working weekdays 08-18, and about 2,000
  booked visits over 28 days, mirrored into django-appointment's models.
* `load_practice`: a second clinic with 40 free therapists, front-desk logins and patients
  for the HTTP booking load.
Days are real days ahead of today: both products read the real clock for "too soon".
"""

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from unknot.booking.models import (
    Appointment,
    AppointmentType,
    OnlineBooking,
    Status,
    WorkingHours,
)
from unknot.clinics.models import Clinic, OpeningHours, Practice, StaffMember
from unknot.patients.models import Patient

ZONE = "America/New_York"
OPEN, CLOSE = dt.time(8), dt.time(18)
DAYS = 28
THERAPISTS = 20
VISITS_PER_DAY = 5  # 20 therapists x 20 weekdays x 5 = 2,000 visits
VISIT = dt.timedelta(minutes=60)
BUFFER_AFTER = dt.timedelta(minutes=10)
STEP_MINUTES = 15


@dataclass
class Practiced:
    clinic: Clinic
    kind: AppointmentType
    therapist_ids: list[int]
    first_day: dt.date
    peer_staff: list[Any]  # django-appointment StaffMember rows, same people, same order
    peer_service: Any


def first_monday() -> dt.date:
    """The first Monday at least three days from today: every bench day is in the future."""
    day = timezone.now().date() + dt.timedelta(days=3)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _clinic(slug: str) -> Clinic:
    practice = Practice.objects.get_or_create(name="Bench practice")[0]
    clinic = Clinic.objects.create(
        practice=practice,
        slug=slug,
        name=slug.replace("-", " ").title(),
        address_line="1 Bench Street",
        city="Benchville",
        postcode="00000",
        phone="555-0100",
        time_zone=ZONE,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(clinic=clinic, weekday=d, opens=OPEN, closes=CLOSE) for d in range(5)
    )
    return clinic


def _users(prefix: str, count: int) -> list[Any]:
    password = make_password(None)  # unusable: bench users never sign in through the form
    user_model = get_user_model()
    return user_model.objects.bulk_create(
        user_model(
            username=f"{prefix}{i:03}",
            email=f"{prefix}{i:03}@bench.example",
            last_name=f"{prefix}{i:03}",
            password=password,
        )
        for i in range(count)
    )


def _staff(clinic: Clinic, prefix: str, count: int, role: str) -> list[StaffMember]:
    members = StaffMember.objects.bulk_create(
        StaffMember(user=user, role=role) for user in _users(prefix, count)
    )
    StaffMember.clinics.through.objects.bulk_create(
        StaffMember.clinics.through(staffmember_id=m.pk, clinic_id=clinic.pk) for m in members
    )
    if role == "therapist":
        WorkingHours.objects.bulk_create(
            WorkingHours(therapist=m, clinic=clinic, weekday=d, start=OPEN, end=CLOSE)
            for m in members
            for d in range(5)
        )
    return members


def _evaluation(clinic: Clinic) -> AppointmentType:
    return AppointmentType.objects.create(
        clinic=clinic,
        kind="initial_evaluation",
        name="Initial evaluation",
        duration_minutes=60,
        buffer_after_minutes=10,
        min_notice_minutes=120,
        horizon_days=60,
        slot_step_minutes=STEP_MINUTES,
        online_booking=OnlineBooking.NEW_PATIENTS,
    )


def _patients(clinic: Clinic, count: int) -> list[Patient]:
    return Patient.objects.bulk_create(
        Patient(
            first_name="Bench",
            last_name=f"Patient {i}",
            email=f"patient{i}@bench.example",  # so every booking queues its emails, as in life
            date_of_birth=dt.date(1980, 1, 1),
            preferred_clinic=clinic,
        )
        for i in range(count)
    )


def visit_times(seed: int = 4) -> dict[tuple[int, dt.date], list[dt.time]]:
    """(therapist index, day) -> wall-clock starts: five non-overlapping visits a weekday."""
    rng = random.Random(seed)
    starts = [dt.time(8, 0), dt.time(9, 15), dt.time(10, 30), dt.time(11, 45)]
    starts += [dt.time(13, 0), dt.time(14, 15), dt.time(15, 30), dt.time(16, 45)]
    first = first_monday()
    days = [first + dt.timedelta(days=n) for n in range(DAYS)]
    return {
        (t, day): sorted(rng.sample(starts, VISITS_PER_DAY))
        for t in range(THERAPISTS)
        for day in days
        if day.weekday() < 5
    }


def _our_visits(clinic, kind, members, patient, plan) -> None:  # type: ignore[no-untyped-def]
    tz = zoneinfo.ZoneInfo(ZONE)
    rows = []
    for (t, day), times in plan.items():
        for wall in times:
            start = dt.datetime.combine(day, wall, tz).astimezone(dt.UTC)
            rows.append(
                Appointment(
                    clinic=clinic,
                    therapist=members[t],
                    appointment_type=kind,
                    patient=patient,
                    start=start,
                    end=start + VISIT,
                    blocked_start=start,
                    blocked_end=start + VISIT + BUFFER_AFTER,
                    status=Status.BOOKED,
                )
            )
    Appointment.objects.bulk_create(rows, batch_size=1000)


def _peer_mirror(members: list[StaffMember], client: Any, plan: Any) -> tuple[list[Any], Any]:
    """The same people, hours and visits in django-appointment's own tables."""
    from appointment import models as peer

    service = peer.Service.objects.create(name="Initial evaluation", duration=VISIT, price=0)
    staff = peer.StaffMember.objects.bulk_create(
        peer.StaffMember(user_id=m.user_id, slot_duration=STEP_MINUTES, slot_gap_time=10)
        for m in members
    )
    peer.WorkingHours.objects.bulk_create(  # the peer counts weekdays from Sunday = 0
        peer.WorkingHours(staff_member=s, day_of_week=d + 1, start_time=OPEN, end_time=CLOSE)
        for s in staff
        for d in range(5)
    )
    requests = peer.AppointmentRequest.objects.bulk_create(
        [
            peer.AppointmentRequest(
                date=day,
                start_time=wall,
                end_time=(dt.datetime.combine(day, wall) + VISIT).time(),
                service=service,
                staff_member=staff[t],
                id_request=f"bench-{t}-{day}-{wall}",
            )
            for (t, day), times in plan.items()
            for wall in times
        ],
        batch_size=1000,
    )
    peer.Appointment.objects.bulk_create(
        (
            peer.Appointment(client=client, appointment_request=r, id_request=r.id_request)
            for r in requests
        ),
        batch_size=1000,
    )
    return staff, service


def availability_practice() -> Practiced:
    clinic = _clinic("bench-availability")
    kind = _evaluation(clinic)
    members = _staff(clinic, "therapist", THERAPISTS, "therapist")
    patient = _patients(clinic, 1)[0]
    plan = visit_times()
    _our_visits(clinic, kind, members, patient, plan)
    peer_staff, service = _peer_mirror(members, _users("client", 1)[0], plan)
    return Practiced(clinic, kind, [m.pk for m in members], first_monday(), peer_staff, service)


@dataclass
class LoadPractice:
    clinic: Clinic
    kind: AppointmentType
    therapist_ids: list[int]
    desk_users: list[Any]
    patient_ids: list[int]


def load_practice(therapists: int = 40, desks: int = 16, patients: int = 200) -> LoadPractice:
    clinic = _clinic("bench-load")
    kind = _evaluation(clinic)
    members = _staff(clinic, "loadtherapist", therapists, "therapist")
    desk = _staff(clinic, "desk", desks, "front_desk")
    users = list(get_user_model().objects.filter(pk__in=[d.user_id for d in desk]))
    people = _patients(clinic, patients)
    return LoadPractice(clinic, kind, [m.pk for m in members], users, [p.pk for p in people])
