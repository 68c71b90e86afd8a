"""Loads the demo practice once; a second run finds it and changes nothing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from unknot.booking.models import AppointmentType, WorkingHours
from unknot.clinics.models import Clinic, Closure, OpeningHours, Practice, StaffMember
from unknot.demo import data
from unknot.patients.models import Patient


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _user(username: str, first: str, last: str, password_hash: str, **extra: object) -> object:
    return get_user_model().objects.create(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@unknot.example",
        password=password_hash,
        **extra,
    )


def _load_clinics(practice: Practice) -> dict[str, Clinic]:
    clinics = {}
    for spec in data.CLINICS:
        fields = {k: v for k, v in spec.items() if k not in ("hours", "closures")}
        clinic = Clinic.objects.create(practice=practice, **fields)
        for weekday, intervals in spec["hours"].items():  # type: ignore[attr-defined]
            for opens, closes in intervals:
                OpeningHours.objects.create(
                    clinic=clinic, weekday=weekday, opens=_time(opens), closes=_time(closes)
                )
        for start, end, reason in spec["closures"]:  # type: ignore[attr-defined]
            Closure.objects.create(clinic=clinic, start_date=start, end_date=end, reason=reason)
        clinics[clinic.slug] = clinic
    return clinics


def _load_staff(clinics: dict[str, Clinic], password_hash: str) -> None:
    for username, first, last, role, slugs, credentials, focus, bio in data.STAFF:
        user = _user(username, first, last, password_hash, is_staff=(role == "manager"))
        member = StaffMember.objects.create(
            user=user, role=role, credentials=credentials, focus=focus, bio=bio
        )
        member.clinics.set([clinics[slug] for slug in slugs])


def _load_calendars(clinics: dict[str, Clinic]) -> None:
    """Appointment types per clinic; therapists work their clinic's opening hours."""
    for clinic in clinics.values():
        for (
            kind,
            name,
            minutes,
            before,
            after,
            notice,
            online,
            description,
        ) in data.APPOINTMENT_TYPES:
            AppointmentType.objects.create(
                clinic=clinic,
                kind=kind,
                name=name,
                duration_minutes=minutes,
                buffer_before_minutes=before,
                buffer_after_minutes=after,
                min_notice_minutes=notice,
                online_booking=online,
                description=description,
            )
        therapists = StaffMember.objects.filter(clinics=clinic, role="therapist")
        for therapist in therapists:
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    therapist=therapist,
                    clinic=clinic,
                    weekday=row.weekday,
                    start=row.opens,
                    end=row.closes,
                )
                for row in clinic.opening_hours.all()
            )


def _load_patients(clinics: dict[str, Clinic], password_hash: str) -> None:
    for username, first, last, born, slug, phone in data.PATIENTS:
        user = _user(username, first, last, password_hash)
        Patient.objects.create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            email=f"{username}@unknot.example",
            phone=phone,
            preferred_clinic=clinics[slug],
            user=user,
        )


@transaction.atomic
def load_demo() -> bool:
    """Returns False when the demo practice is already there."""
    if Practice.objects.filter(name=data.PRACTICE["name"]).exists():
        return False
    practice = Practice.objects.create(**data.PRACTICE)
    clinics = _load_clinics(practice)
    # One Argon2 hash shared by every demo login: they all have the same published password.
    password_hash = make_password(data.DEMO_PASSWORD)
    _load_staff(clinics, password_hash)
    _load_patients(clinics, password_hash)
    _load_calendars(clinics)
    _user(*data.OWNER, password_hash, is_staff=True, is_superuser=True)
    return True


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, where) for every demo login, in the order a visitor would try them."""
    rows = [(data.OWNER[0], "practice owner (all of admin)", "all clinics")]
    for username, _first, _last, role, slugs, *_ in data.STAFF:
        rows.append((username, role.replace("_", " "), ", ".join(slugs)))
    for username, _first, _last, _born, slug, _phone in data.PATIENTS[:3]:
        rows.append((username, "patient (portal)", slug))
    rows.append(("patient.<surname>", "the other nine patients", "see the staff area"))
    return rows
