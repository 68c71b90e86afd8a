"""Builders shared by the intake tests: an open episode with its intake, and page answers."""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.booking import builders
from unknot.booking.models import Appointment
from unknot.patients.models import Patient
from unknot.records.intake import wording
from unknot.records.models import Episode, Intake

AUTOSAVE = {"HTTP_X_INTAKE_AUTOSAVE": "1"}
START = dt.datetime(2031, 3, 4, 15, 0, tzinfo=dt.UTC)  # a Tuesday, well ahead of any test run

SAFE_URGENT = dict.fromkeys(wording.URGENT_FLAGS, "no")
SAFE_OTHER = dict.fromkeys(wording.OTHER_FLAGS, "no")


def appointment_for(patient: Patient, therapist: Any) -> Appointment:
    clinic = patient.preferred_clinic
    # One day apart, so one therapist is never double-booked (PostgreSQL refuses that).
    start = START + dt.timedelta(days=Appointment.objects.count())
    return Appointment.objects.create(
        clinic=clinic,
        therapist=therapist.staff_member,
        appointment_type=builders.evaluation_type(clinic),
        patient=patient,
        start=start,
        end=start + dt.timedelta(hours=1),
        blocked_start=start,
        blocked_end=start + dt.timedelta(hours=1),
    )


def open_intake(patient: Patient, therapist: Any | None = None) -> Intake:
    """What booking an initial evaluation leaves behind: an open episode and an empty intake."""
    episode = Episode.objects.create(patient=patient, clinic=patient.preferred_clinic)
    appointment = appointment_for(patient, therapist) if therapist is not None else None
    return Intake.objects.create(episode=episode, appointment=appointment)


def section_url(slug: str, episode_id: int | None = None) -> str:
    if episode_id is None:
        return reverse("intake:section", args=[slug])
    return reverse("intake:tablet_section", args=[episode_id, slug])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# A complete, calm set of answers: every page, nothing alarming.
FULL: dict[str, dict[str, Any]] = {
    "story": {"onset_date": "2025-10-01", "causes": ["lifting"], "story": "Lifted a sofa."},
    "where": {"pain_side": "left", "below_knee": "no", "spasm": "yes"},
    "daily-life": {"triggers": "Bending to tie shoes", "eases": "Heat", "daily_life": ""},
    "work-and-goals": {
        "work": ["desk"],
        "activity_level": "light",
        "goal_1": "Lift my son",
        "home_minutes_per_day": "15",
        "visits_per_week": "2",
    },
    "health": {"pregnant": "no"},
    "safety": SAFE_URGENT,
    "more-safety": SAFE_OTHER,
    "start-back": {f"item_{n}": "agree" if n in (1, 3, 6, 7) else "disagree" for n in range(1, 9)}
    | {"item_9": "very_much"},
    "daily-activities": {f"section_{n}": str(n % 4) for n in range(1, 11)},
    "pain-and-activities": {
        "nprs": "6",
        "activity_1": "Sitting at work",
        "score_1": "4",
        "activity_2": "Carrying shopping",
        "score_2": "3",
        "activity_3": "Running",
        "score_3": "2",
    },
    "pain-last-week": {"peg_1": "6", "peg_2": "7", "peg_3": "4"},
    "beliefs": {f"item_{n}": str(n % 7) for n in range(1, 17)},
}


def fill(client: Client, slugs: list[str] | None = None, episode_id: int | None = None) -> None:
    for slug in slugs or list(FULL):
        response = client.post(section_url(slug, episode_id), FULL[slug])
        assert response.status_code == 302, (
            slug,
            response.context and response.context["form"].errors,
        )
