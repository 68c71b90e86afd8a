"""Builders shared by the intake tests: an open episode with its intake, and page answers."""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from tests import calendar as cal
from tests import factories
from unknot.booking.models import Appointment
from unknot.clinics.models import StaffMember
from unknot.patients.models import Patient
from unknot.records.intake import wording
from unknot.records.models import Intake

AUTOSAVE = {"HTTP_X_INTAKE_AUTOSAVE": "1"}
START = dt.datetime(2031, 3, 4, 15, 0, tzinfo=dt.UTC)  # a Tuesday, well ahead of any test run

SAFE_URGENT = dict.fromkeys(wording.URGENT_FLAGS, "no")
SAFE_OTHER = dict.fromkeys(wording.OTHER_FLAGS, "no")


def open_intake(patient: Patient, therapist: Any | None = None) -> Intake:
    """What booking an initial evaluation leaves behind: an open episode and an empty intake.

    Booked through the booking service (its hook opens both) with `therapist`, by default the
    first therapist of the patient's clinic, on weekdays from START, one day apart so that one
    therapist is never double-booked.
    """
    clinic = patient.preferred_clinic
    assert clinic is not None
    if therapist is None:
        member = StaffMember.objects.filter(clinics=clinic, role="therapist").order_by("pk")
        therapist = member.first().user  # type: ignore[union-attr]
    appointment = factories.booked_appointment(
        None, patient=patient, type=cal.evaluation_at(clinic), therapist=therapist,
        when=_weekday(START, Appointment.objects.count()), now=cal.NOW,
    )  # fmt: skip
    return Intake.objects.select_related("episode").get(appointment=appointment)


def _weekday(start: dt.datetime, n: int) -> dt.datetime:
    """The n-th weekday from `start` (a Tuesday), at the same time."""
    day = start
    for _ in range(n):
        day += dt.timedelta(days=3 if day.weekday() == 4 else 1)
    return day


def section_url(slug: str, episode_id: int | None = None) -> str:
    if episode_id is None:
        return reverse("intake:section", args=[slug])
    return reverse("intake:tablet_section", args=[episode_id, slug])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# A complete, calm set of answers: every page, nothing alarming (the factories' intake).
FULL: dict[str, dict[str, Any]] = factories.INTAKE_PAGES


def fill(client: Client, slugs: list[str] | None = None, episode_id: int | None = None) -> None:
    for slug in slugs or list(FULL):
        response = client.post(section_url(slug, episode_id), FULL[slug])
        assert response.status_code == 302, (
            slug,
            response.context and response.context["form"].errors,
        )
