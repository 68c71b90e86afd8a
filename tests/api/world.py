"""A small practice for the API tests: both clinics' calendars, and for each patient an
episode with an intake, a signed plan (and a draft for P), a visit, scores and home logs.

Patient P belongs to clinic A, patient Q to clinic B; every id in `World` lets a test ask
for "the other clinic's object" and expect the 404 an object that does not exist gets.
"""

from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from tests import factories
from tests.calendar import Calendar, local, make_calendar, working_day
from tests.personas import Cast
from unknot.api.tokens import token_create
from unknot.booking.models import AppointmentType
from unknot.plans import services as plans
from unknot.plans import visits
from unknot.plans.home import services as home
from unknot.plans.models import PlanOfCare
from unknot.plans.selectors import signed_plan

PERSONAS = ("therapist_a", "front_desk_a", "therapist_b", "manager", "auditor", "biller_a",
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


def _records(calendar: Calendar, patient: Any, therapist: Any) -> Records:
    """Through the services: the episode with its signed plan (booked evaluation, intake,
    evaluation, plan), a visit, the person's home log, and a follow-up booked ahead."""
    episode = factories.episode_with_signed_plan(calendar, patient=patient, therapist=therapist)
    plan = signed_plan(episode)
    assert plan is not None
    today = timezone.now().date()
    visit = visits.visit_record(by=therapist, episode=episode, data=visits.VisitInput(
        performed_on=today, nprs=5, positive_flags=set(), subjective="Better mornings",
    ))  # fmt: skip
    log = home.log_session(by=patient.user, episode=episode, performed_on=today, status="done",
                           pain_before=5, pain_after=3)  # fmt: skip
    follow_up = calendar.follow_up_at(episode.clinic)
    appointment = factories.booked_appointment(
        calendar, patient=patient, type=follow_up, therapist=therapist,
        when=local(episode.clinic, working_day(10), "09:00"),
    )  # fmt: skip
    return Records(
        patient=patient.pk,
        episode=episode.pk,
        intake=episode.intake.pk,
        plan=plan.pk,
        visit=visit.pk,
        outcome=episode.scores.order_by("pk").first().pk,
        log=log.pk,
        appointment=appointment.pk,
    )


def build_world(world: Cast | Calendar) -> World:
    calendar = world if isinstance(world, Calendar) else make_calendar(world)
    cast = calendar.cast
    p = _records(calendar, cast.patient_p, cast.therapist_a)
    q = _records(calendar, cast.patient_q, cast.therapist_b)
    p.draft_plan = plans.plan_revise(by=cast.therapist_a, plan=PlanOfCare.objects.get(pk=p.plan)).pk
    built = World(
        cast=cast,
        evaluation_a=calendar.evaluation_a,
        follow_up_a=calendar.follow_up_a,
        evaluation_b=calendar.evaluation_b,
        p=p,
        q=q,
    )
    for persona in PERSONAS:
        built.tokens[persona] = token_create(user=cast.users[persona], name="tests")[1]
    return built
