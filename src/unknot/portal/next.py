"""What comes next for the person, the first thing their portal shows: the next visit (and
whether they may still change it themselves), the intake while it waits for them, today's
home exercises and how their scores are moving. Cards that no longer apply are left out.

Everything is read through the access selectors that take the signed-in user.
"""

import datetime as dt
from dataclasses import dataclass, field

from unknot.accounts.models import User
from unknot.booking import links, services
from unknot.booking.models import Appointment, Status
from unknot.booking.selectors import upcoming_for_patient
from unknot.plans.home import selectors as home
from unknot.plans.home.progress import Outcome
from unknot.plans.home.selectors import ProgrammeItem
from unknot.plans.models import ExerciseLog
from unknot.records.models import Episode, EpisodeStatus, Intake, IntakeStatus


@dataclass(frozen=True)
class NextVisit:
    appointment: Appointment
    manage_token: str
    # Why the person can no longer change or cancel it online (the notice period has begun),
    # in which case the page gives the clinic's phone number instead; None while they can.
    refusal: str | None


@dataclass
class NextUp:
    visit: NextVisit | None = None
    intake: Intake | None = None  # only while it waits for the person or the clinic
    episode: Episode | None = None
    exercises: list[ProgrammeItem] = field(default_factory=list)
    logged_today: bool = False
    paused: bool = False  # a referral waits for medical clearance (SCREEN-2)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def in_care(self) -> bool:
        return self.episode is not None and self.episode.status == EpisodeStatus.OPEN

    @property
    def discharged(self) -> bool:
        return self.episode is not None and self.episode.status == EpisodeStatus.DISCHARGED


def next_up(user: User, now: dt.datetime) -> NextUp:
    found = NextUp(visit=_next_visit(user, now))
    episode = home.patient_episode(user)
    if episode is None:
        return found
    found.episode = episode
    found.intake = _waiting_intake(episode)
    found.outcomes = [o for o in home.episode_outcomes(episode) if o.change is not None]
    if episode.status == EpisodeStatus.OPEN:
        _add_programme(found, episode, now)
    return found


def _next_visit(user: User, now: dt.datetime) -> NextVisit | None:
    upcoming = upcoming_for_patient(user, now).filter(status=Status.BOOKED).first()
    if upcoming is None:
        return None
    return NextVisit(
        appointment=upcoming,
        manage_token=links.manage_token(upcoming.pk),
        refusal=services.online_change_refusal(upcoming, now),
    )


def _waiting_intake(episode: Episode) -> Intake | None:
    """The intake card: while the person has questions to answer, and after sending them
    until a therapist has read them; gone once reviewed or when the episode ended."""
    intake = getattr(episode, "intake", None)
    if episode.status != EpisodeStatus.OPEN or intake is None:
        return None
    return intake if intake.status != IntakeStatus.REVIEWED else None


def _add_programme(found: NextUp, episode: Episode, now: dt.datetime) -> None:
    plan = home.signed_plan(episode)
    if plan is None:
        return
    found.paused = home.programme_paused(episode)
    found.exercises = home.programme(plan)
    today = home.clinic_today(episode, now)
    found.logged_today = ExerciseLog.objects.filter(episode=episode, performed_on=today).exists()
