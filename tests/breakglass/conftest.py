"""Break-glass test set-up: the practice owner grants therapist_b (clinic B) the permission;
patient P (clinic A) has an episode and an appointment; a second clinic A patient, R, has
an episode too. Clinic A's manager is the one to be told."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.personas import Cast
from unknot.booking.models import Appointment
from unknot.breakglass import services
from unknot.breakglass.models import BreakGlassGrant
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.patients.models import Patient
from unknot.records.models import Episode

REASON = "Seen today with new leg weakness, needs her plan"


@dataclass
class Scene:
    cast: Cast
    owner: Any
    grant: BreakGlassGrant
    episode_p: Episode
    appointment_p: Appointment
    patient_r: Patient
    episode_r: Episode


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_form(patient: Patient, **overrides: Any) -> dict[str, Any]:
    return {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "category": "emergency_care",
        "reason": REASON,
    } | overrides


def open_record(client: Client, patient: Patient, **overrides: Any) -> Any:
    return client.post(reverse("breakglass:start"), open_form(patient, **overrides))


@pytest.fixture
def owner(db: None) -> Any:
    return factories.user("owner", is_superuser=True, is_staff=True)


@pytest.fixture
def scene(cast: Cast, owner: Any) -> Scene:
    grant = services.grant(by=owner, staff=cast.therapist_b.staff_member, now=timezone.now())
    patient_r = factories.patient("Rita", "Reed", cast.clinic_a)
    made = Scene(
        cast=cast,
        owner=owner,
        grant=grant,
        episode_p=factories.episode_with_signed_plan(cast, patient=cast.patient_p),
        appointment_p=factories.booked_appointment(cast, patient=cast.patient_p, type="follow_up"),
        patient_r=patient_r,
        episode_r=factories.episode_with_signed_plan(cast, patient=patient_r),
    )
    # The scene's bookings queued their confirmations; the tests read only what opening a
    # record sends, so those are set aside, as if sent long ago.
    OutboxEmail.objects.update(status=OutboxStatus.CANCELLED)
    return made
