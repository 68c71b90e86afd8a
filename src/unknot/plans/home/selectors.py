"""Reads for the home programme, progress and education. Episodes always come through the
records access helpers (get_episode_for / episodes_visible_to / own_open_episode) first; these
functions only read inside an episode the caller was already allowed to see."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from unknot.accounts.models import AnyUser
from unknot.audit import services as audit
from unknot.booking.models import Appointment, Status
from unknot.care import Exercise, exercise_library
from unknot.plans.education import Topic, topic
from unknot.plans.home import adherence
from unknot.plans.home.diagrams import POSES, diagram_size
from unknot.plans.home.progress import MEASURES, Outcome, outcomes
from unknot.plans.models import (
    AdherenceComment,
    EducationAssignment,
    ExerciseLog,
    HomeExercise,
    PlanOfCare,
    PlanStatus,
)
from unknot.records.clinical import holds
from unknot.records.models import Episode, OutcomeScore
from unknot.records.selectors import episodes_visible_to, own_open_episode

DEFAULT_SESSIONS_PER_WEEK = 7


@dataclass(frozen=True)
class ProgrammeItem:
    key: str
    name: str
    dose: str  # the therapist's dose on the plan; the library's when left empty
    sessions_per_week: int
    exercise: Exercise | None  # None if the key is not in the library (then no instructions)

    @property
    def diagram(self) -> str:
        return f"plans/diagrams/{self.key}.svg"

    @property
    def picture(self) -> str:
        """The diagram's text alternative: the two positions, as in the SVG's own description
        (the caption, the rest of that description, is printed under the picture)."""
        movement = POSES.get(self.key)
        return f"Diagram: {movement.positions}" if movement else ""

    @property
    def caption(self) -> str:
        """What to do, in plain words, under the figure on every page and in the handout."""
        movement = POSES.get(self.key)
        return movement.caption if movement else ""

    @property
    def diagram_width(self) -> int:
        return diagram_size(self.key)[0] if self.key in POSES else 0

    @property
    def diagram_height(self) -> int:
        return diagram_size(self.key)[1] if self.key in POSES else 0


@dataclass(frozen=True)
class Lesson:
    topic: Topic
    reason: str
    read_at: dt.datetime | None  # the first time the person opened it


def patient_episode(user: AnyUser) -> Episode | None:
    """The portal's episode: the open one, else the latest (e.g. just discharged)."""
    episode = own_open_episode(user) or episodes_visible_to(user).first()
    audit.access(user, "episode", None, episode)
    return episode


def programme_paused(episode: Episode) -> bool:
    """SCREEN-2: a referral waits for a medical clearance, so home exercises are paused."""
    return holds.open_hold(episode) is not None


def clinic_today(episode: Episode, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the clinic is: logs and weeks follow the clinic's calendar."""
    return timezone.localtime(now or timezone.now(), ZoneInfo(episode.clinic.time_zone)).date()


def future_visits(episode: Episode, now: dt.datetime) -> list[Appointment]:
    """The episode's visits still to come: the patient's booked appointments at the episode's
    clinic from `now` on, counted as the caseload counts its "next appointment"."""
    upcoming = Appointment.objects.filter(
        patient_id=episode.patient_id,
        clinic_id=episode.clinic_id,
        status=Status.BOOKED,
        start__gte=now,
    )
    related = upcoming.select_related("clinic", "therapist__user", "appointment_type")
    return list(related.order_by("start", "pk"))


def signed_plan(episode: Episode) -> PlanOfCare | None:
    return episode.plans.filter(status=PlanStatus.SIGNED).first()


def _library() -> dict[str, Exercise]:
    return {e.id: e for e in exercise_library()}


def programme(plan: PlanOfCare | None) -> list[ProgrammeItem]:
    return [] if plan is None else programmes([plan])[0][1]


def programmes(plans: Sequence[PlanOfCare]) -> list[tuple[PlanOfCare, list[ProgrammeItem]]]:
    """Each plan with its home exercises: one query however many plans (a long record)."""
    if not plans:
        return []
    library = _library()
    by_plan: dict[int, list[ProgrammeItem]] = defaultdict(list)
    for row in HomeExercise.objects.filter(plan__in=[plan.pk for plan in plans]):
        by_plan[row.plan_id].append(_item(row, library.get(row.exercise_key)))
    return [(plan, by_plan.get(plan.pk, [])) for plan in plans]


def _item(row: HomeExercise, exercise: Exercise | None) -> ProgrammeItem:
    name = exercise.name if exercise else row.exercise_key.replace("_", " ").capitalize()
    dose = row.dose or (exercise.dose if exercise else "")
    return ProgrammeItem(row.exercise_key, name, dose, row.sessions_per_week, exercise)


def sessions_per_week(items: list[ProgrammeItem]) -> int:
    return max((i.sessions_per_week for i in items), default=DEFAULT_SESSIONS_PER_WEEK)


def plan_start(episode: Episode, plan: PlanOfCare | None) -> dt.date:
    moment = (plan.signed_at or plan.created_at) if plan else episode.opened_at
    return timezone.localtime(moment, ZoneInfo(episode.clinic.time_zone)).date()


def weeks(
    episode: Episode, plan: PlanOfCare | None, items: list[ProgrammeItem]
) -> tuple[list[adherence.Week], adherence.Week | None]:
    """(weekly rows newest first, totals over all of them) for the adherence views."""
    logs = list(ExerciseLog.objects.filter(episode=episode))
    first = plan_start(episode, plan)
    # A discharged episode's programme ended on the day of discharge: weeks after it are not
    # counted as prescribed sessions missed.
    last_day = clinic_today(episode, episode.discharged_at)
    rows = adherence.weekly(logs, per_week=sessions_per_week(items), first=first, today=last_day)
    return list(reversed(rows)), adherence.totals(rows, logs)


def comments_by_week(episode: Episode) -> dict[dt.date, list[AdherenceComment]]:
    found: dict[dt.date, list[AdherenceComment]] = {}
    comments = AdherenceComment.objects.filter(episode=episode).select_related("author__user")
    for comment in comments.order_by("week_start", "created_at"):
        found.setdefault(comment.week_start, []).append(comment)
    return found


def recent_comments(episode: Episode, limit: int = 5) -> list[AdherenceComment]:
    comments = AdherenceComment.objects.filter(episode=episode).select_related("author__user")
    return list(comments.order_by("-week_start", "-created_at")[:limit])


def episode_outcomes(episode: Episode) -> list[Outcome]:
    series: dict[str, list[tuple[dt.date, float]]] = {}
    scores = OutcomeScore.objects.filter(episode=episode, instrument__in=MEASURES)
    for score in scores.order_by("measured_on", "pk"):
        series.setdefault(score.instrument, []).append((score.measured_on, score.value))
    return outcomes(series)


def lessons(episode: Episode) -> list[Lesson]:
    """Lessons assigned by the episode's plans, each topic once (the newest plan's reason)."""
    reasons: dict[str, str] = {}
    read: dict[str, dt.datetime | None] = {}
    assignments = EducationAssignment.objects.filter(plan__episode=episode)
    for row in assignments.order_by("-plan__version", "pk"):
        reasons.setdefault(row.topic_key, row.reason)
        first = read.get(row.topic_key)
        read[row.topic_key] = min(filter(None, (first, row.read_at)), default=None)
    found = [(topic(key), reason) for key, reason in reasons.items()]
    return [Lesson(t, reason, read[t.key]) for t, reason in found if t is not None]


def lesson_for(episode: Episode, key: str) -> Lesson | None:
    return next((lesson for lesson in lessons(episode) if lesson.topic.key == key), None)
