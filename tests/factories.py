"""Builders for test data. Passwords use a fast hasher so hundreds of users stay cheap."""

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from unknot.clinics.models import Clinic, OpeningHours, Practice, StaffMember
from unknot.patients.models import Patient

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def practice() -> Practice:
    return Practice.objects.get_or_create(name="Test practice")[0]


def clinic(slug: str, time_zone: str = "America/New_York", **fields: Any) -> Clinic:
    defaults = {
        "name": slug.replace("-", " ").title(),
        "address_line": "1 Test Street",
        "city": "Testville",
        "postcode": "00000",
        "phone": "555-0100",
        "time_zone": time_zone,
    }
    made = Clinic.objects.create(practice=practice(), slug=slug, **(defaults | fields))
    for weekday in range(5):
        OpeningHours.objects.create(
            clinic=made, weekday=weekday, opens=dt.time(8), closes=dt.time(18)
        )
    return made


def user(username: str, **fields: Any) -> Any:
    return get_user_model().objects.create(
        username=username,
        email=fields.pop("email", f"{username}@test.example"),
        password=make_password(PASSWORD, hasher="md5"),
        **fields,
    )


def staff(username: str, role: str, clinics: list[Clinic], **fields: Any) -> Any:
    account = user(
        username,
        first_name=username.title(),
        last_name="Staff",
        is_staff=fields.pop("is_staff", False),
    )
    member = StaffMember.objects.create(user=account, role=role, **fields)
    member.clinics.set(clinics)
    return account


def patient(first: str, last: str, clinic: Clinic, *, login: bool = True, **fields: Any) -> Patient:
    account = user(f"{first}.{last}.{next(_counter)}".lower()) if login else None
    return Patient.objects.create(
        first_name=first,
        last_name=last,
        date_of_birth=fields.pop("date_of_birth", dt.date(1985, 5, 17)),
        email=fields.pop("email", f"{first}.{last}@test.example".lower()),
        preferred_clinic=clinic,
        user=account,
        **fields,
    )
