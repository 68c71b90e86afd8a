"""A small practice for the API tests: both clinics' calendars, and for each patient an
episode with an intake, a signed plan (and a draft for P), a visit, scores and home logs.

Patient P belongs to clinic A, patient Q to clinic B; every id in `World` lets a test ask
for "the other clinic's object" and expect the 404 an object that does not exist gets.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.booking import builders
from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.api.tokens import token_create
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.plans.models import ExerciseLog, PlanOfCare
from unknot.records.models import Episode, Intake, Visit

PERSONAS = ("therapist_a", "front_desk_a", "therapist_b", "manager", "auditor",
            "patient_p", "patient_q")  # fmt: skip


@dataclass
class Records:
    """One patient's record, by id."""

    patient: int
    episode: int
    intake: int
    plan: int
    visit: int
    outcome: int
    log: int
    appointment: int
    draft_plan: int | None = None


@dataclass
class World:
    cast: Cast
    evaluation_a: AppointmentType
    follow_up_a: AppointmentType
    evaluation_b: AppointmentType
    p: Records
    q: Records
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        """A client that sends the persona's bearer token (anonymous: no credentials)."""
        if persona == "anonymous":
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[persona]}")


def working_day(offset: int = 3) -> dt.date:
    """A Wednesday at least `offset` days ahead: past any notice, inside the horizon."""
    day = timezone.now().date() + dt.timedelta(days=offset)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def _appointment(cast: Cast, kind: AppointmentType, therapist: Any, patient: Any) -> Appointment:
    start = builders.local(kind.clinic, working_day(10), "09:00")
    end = start + dt.timedelta(minutes=kind.duration_minutes)
    return Appointment.objects.create(
        clinic=kind.clinic, appointment_type=kind, therapist=therapist.staff_member,
        patient=patient, start=start, end=end, blocked_start=start,
        blocked_end=end + dt.timedelta(minutes=kind.buffer_after_minutes), status=Status.BOOKED,
    )  # fmt: skip


def _records(cast: Cast, patient: Any, therapist: Any, kind: AppointmentType) -> Records:
    episode: Episode = care_episode(patient, therapist)
    intake = Intake.objects.create(episode=episode, answers={"nprs": 7}, notes={"story": "lifting"})
    visit = Visit.objects.create(
        episode=episode, therapist=therapist.staff_member, number=1,
        performed_on=dt.date(2026, 3, 9), subjective="Better mornings", nprs=5,
    )  # fmt: skip
    log = ExerciseLog.objects.create(
        episode=episode, performed_on=timezone.now().date(), status="done",
        pain_before=5, pain_after=3,
    )  # fmt: skip
    return Records(
        patient=patient.pk,
        episode=episode.pk,
        intake=intake.pk,
        plan=episode.plans.get().pk,
        visit=visit.pk,
        outcome=episode.scores.first().pk,
        log=log.pk,
        appointment=_appointment(cast, kind, therapist, patient).pk,
    )


def build_world(cast: Cast) -> World:
    builders.works_weekdays(cast.therapist_a, cast.clinic_a)
    builders.works_weekdays(cast.therapist_b, cast.clinic_b)
    evaluation_a = builders.evaluation_type(cast.clinic_a)
    evaluation_b = builders.evaluation_type(cast.clinic_b)
    p = _records(cast, cast.patient_p, cast.therapist_a, evaluation_a)
    q = _records(cast, cast.patient_q, cast.therapist_b, evaluation_b)
    p.draft_plan = PlanOfCare.objects.create(episode_id=p.episode, version=2).pk
    world = World(
        cast=cast,
        evaluation_a=evaluation_a,
        follow_up_a=builders.follow_up_type(cast.clinic_a),
        evaluation_b=evaluation_b,
        p=p,
        q=q,
    )
    for persona in PERSONAS:
        world.tokens[persona] = token_create(user=cast.users[persona], name="tests")[1]
    return world
