"""The demo practice: what `make demo` loads, and that loading twice changes nothing."""

from django.test import Client

from unknot.accounts.roles import Role
from unknot.clinics.models import Clinic, StaffMember
from unknot.demo.data import DEMO_PASSWORD
from unknot.demo.load import demo_logins, load_demo
from unknot.patients.models import Patient


def test_demo_has_the_promised_practice(db: None) -> None:
    assert load_demo() is True
    assert Clinic.objects.count() == 3
    assert Clinic.objects.values("time_zone").distinct().count() >= 2
    assert StaffMember.objects.filter(role=Role.THERAPIST).count() == 6
    for role in (Role.FRONT_DESK, Role.MANAGER, Role.AUDITOR):
        assert StaffMember.objects.filter(role=role).exists()
    assert Patient.objects.filter(user__isnull=False).count() == 12


def test_loading_twice_keeps_the_data(db: None) -> None:
    load_demo()
    assert load_demo() is False
    assert Clinic.objects.count() == 3 and Patient.objects.count() == 12


def test_every_printed_demo_login_signs_in(db: None) -> None:
    load_demo()
    for username, _role, _where in demo_logins():
        if "<" in username:
            continue
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
