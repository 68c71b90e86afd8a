"""The therapist's day: today's and tomorrow's appointments in time order, each with what needs
attention (`unknot.staffarea.attention`), and the visit notes left to sign.

Everything is read through the access selectors that take the user, in a fixed number of
queries however many patients, visits or logs the practice holds: the appointments, their
open episodes with counts, the recent exercise logs and the notes to sign.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from unknot.accounts.models import User
from unknot.booking.models import Appointment, Status
from unknot.booking.safety_calls import with_open_call
from unknot.booking.selectors import appointments_visible_to
from unknot.care import course
from unknot.clinics import times
from unknot.clinics.models import StaffMember
from unknot.plans.certification import DueItem, care_due
from unknot.plans.home import adherence
from unknot.plans.home.selectors import DEFAULT_SESSIONS_PER_WEEK
from unknot.plans.models import ExerciseLog
from unknot.plans.selectors import home_sessions_per_week, signed_plan_value
from unknot.plans.visits import is_reassessment
from unknot.records.models import (
    Episode,
    EpisodeStatus,
    Intake,
    IntakeStatus,
    MedicalHold,
    Visit,
)
from unknot.records.selectors import episode_score, episodes_visible_to
from unknot.staffarea import attention
from unknot.staffarea.attention import Attention, EpisodeFacts

DAYS_SHOWN = 2  # today and tomorrow
# Enough history for the last two whole weeks of home-exercise logs.
LOG_WINDOW = dt.timedelta(days=21)
NOTES_SHOWN = 50


@dataclass(frozen=True)
class Row:
    appointment: Appointment
    local_start: dt.datetime
    episode: Episode | None
    items: list[Attention]
    visits_left: int | None

    @property
    def urgent(self) -> bool:
        return any(item.urgent for item in self.items)


@dataclass(frozen=True)
class Day:
    date: dt.date
    label: str  # "Today" or "Tomorrow"
    rows: list[Row]


@dataclass(frozen=True)
class MyDay:
    days: list[Day]
    notes_to_sign: list[Visit]
    care_due: list[DueItem]  # certifications and progress reports due soon or overdue


def my_day(user: User, therapist: StaffMember, now: dt.datetime) -> MyDay:
    appointments = _appointments(user, therapist, now)
    episodes = _open_episodes(user, appointments)
    falling = _adherence_falling(list(episodes.values()), now)
    rows = [_row(a, _episode_of(a, episodes), falling, now) for a in appointments]
    return MyDay(
        days=_by_day(rows, now),
        notes_to_sign=notes_to_sign(user, therapist),
        care_due=care_due(user, therapist, now),
    )


def _appointments(user: User, therapist: StaffMember, now: dt.datetime) -> list[Appointment]:
    """Booked, arrived or seen appointments from the start of today (anywhere on earth) to
    the end of tomorrow; each is then placed on its clinic's own calendar day."""
    rows = appointments_visible_to(user).filter(
        therapist=therapist,
        start__gte=now - dt.timedelta(days=1),
        start__lt=now + dt.timedelta(days=DAYS_SHOWN + 1),
        status__in=(Status.BOOKED, Status.ARRIVED, Status.COMPLETED),
    )
    return list(with_open_call(rows).order_by("start", "pk"))


def _open_episodes(user: User, appointments: list[Appointment]) -> dict[tuple[int, int], Episode]:
    """Each patient's open episode at the appointment's clinic, with the counts the rules
    need, in one query."""
    patients = {a.patient_id for a in appointments if a.patient_id is not None}
    if not patients:
        return {}
    rows = _with_counts(
        episodes_visible_to(user).filter(patient_id__in=patients, status=EpisodeStatus.OPEN)
    )
    return {(e.patient_id, e.clinic_id): e for e in rows.order_by("opened_at", "pk")}


def _episode_of(
    appointment: Appointment, episodes: dict[tuple[int, int], Episode]
) -> Episode | None:
    if appointment.patient_id is None:
        return None
    return episodes.get((appointment.patient_id, appointment.clinic_id))


# COURSE-1's inputs, each the first or latest score of the episode: (annotation, instrument,
# value read, latest?). The STarT Back risk group is the intake's.
COURSE_SCORES = (
    ("pain_first", "nprs", "value", False),
    ("pain_latest", "nprs", "value", True),
    ("pain_latest_on", "nprs", "measured_on", True),
    ("odi_first", "odi", "value", False),
    ("odi_latest", "odi", "value", True),
    ("odi_latest_on", "odi", "measured_on", True),
    ("start_back_risk", "start_back", "details__risk", False),
)


def _with_counts(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    open_referral = MedicalHold.objects.filter(episode_id=OuterRef("pk"), cleared_at__isnull=True)
    scores = {
        name: episode_score(key, latest=latest, value=value)
        for name, key, value, latest in COURSE_SCORES
    }
    return episodes.select_related("intake").annotate(
        **scores,
        visits_done=Count("visits", distinct=True),
        unsigned_notes=Count("visits", filter=Q(visits__signed_at__isnull=True), distinct=True),
        referral_open=Exists(open_referral),
        per_week=signed_plan_value("frequency_per_week"),
        weeks_planned=signed_plan_value("duration_weeks"),
        plan_signed_at=signed_plan_value("signed_at"),
        home_per_week=home_sessions_per_week(),
    )


def _adherence_falling(episodes: list[Episode], now: dt.datetime) -> set[int]:
    """The episodes whose home programme fell behind last week, from one query of logs."""
    with_programme = [e for e in episodes if e.plan_signed_at is not None]  # type: ignore[attr-defined]
    if not with_programme:
        return set()
    since = now.date() - LOG_WINDOW
    logs: dict[int, list[ExerciseLog]] = defaultdict(list)
    rows = ExerciseLog.objects.filter(episode__in=with_programme, performed_on__gte=since)
    for log in rows.only("episode_id", "performed_on", "status", "pain_before", "pain_after"):
        logs[log.episode_id].append(log)
    return {e.pk for e in with_programme if _falling(e, logs[e.pk], now)}


def _falling(episode: Episode, logs: Iterable[ExerciseLog], now: dt.datetime) -> bool:
    row: Any = episode  # annotations the model's type cannot know
    today = times.clinic_day(now, episode.clinic)
    first = max(times.clinic_day(row.plan_signed_at, episode.clinic), today - LOG_WINDOW)
    per_week = row.home_per_week or DEFAULT_SESSIONS_PER_WEEK
    weeks = adherence.weekly(logs, per_week=per_week, first=first, today=today)
    return adherence.falling(weeks, today)


def _course(episode: Episode, now: dt.datetime) -> course.CourseCheck | None:
    """COURSE-1 from the episode's scores, weeks counted from the signed plan; None without
    a signed plan (care has not started)."""
    row: Any = episode  # annotations the model's type cannot know
    if row.plan_signed_at is None:
        return None
    started = times.clinic_day(row.plan_signed_at, episode.clinic)
    weeks = (times.clinic_day(now, episode.clinic) - started).days / 7
    return course.check_course(
        weeks_in_care=weeks,
        risk=row.start_back_risk,
        pain=_measured(row.pain_first, row.pain_latest, row.pain_latest_on, started),
        function=_measured(row.odi_first, row.odi_latest, row.odi_latest_on, started),
    )


def _measured(
    first: float | None, latest: float | None, latest_on: dt.date | None, started: dt.date
) -> course.Measured | None:
    if first is None or latest is None or latest_on is None:
        return None
    return course.Measured(first, latest, (latest_on - started).days / 7)


def facts_of(episode: Episode, falling: set[int], now: dt.datetime) -> EpisodeFacts:
    """The rules' facts from an episode annotated by `_with_counts`."""
    counted = episode  # annotations the model's type cannot know
    intake = getattr(episode, "intake", None)  # None when no intake was started
    planned = None
    if counted.per_week is not None:  # type: ignore[attr-defined]
        planned = counted.per_week * counted.weeks_planned  # type: ignore[attr-defined]
    done: int = counted.visits_done  # type: ignore[attr-defined]
    checked = _course(episode, now)
    return EpisodeFacts(
        intake=_intake_state(intake),
        emergency_in_intake=intake is not None and intake.emergency_at is not None,
        referral_open=counted.referral_open,  # type: ignore[attr-defined]
        visits_done=done,
        unsigned_notes=counted.unsigned_notes,  # type: ignore[attr-defined]
        visits_planned=planned,
        reassessment_next=done > 0 and is_reassessment(done + 1),
        adherence_falling=episode.pk in falling,
        course=checked.verdict if checked is not None else None,
        course_action=checked.action if checked is not None else None,
    )


def _intake_state(intake: Intake | None) -> str | None:
    """None until the person fills in a first section (booking opens an empty draft)."""
    if intake is None or (intake.status == IntakeStatus.DRAFT and not intake.sections_done):
        return None
    return str(intake.status)


def _row(
    appointment: Appointment, episode: Episode | None, falling: set[int], now: dt.datetime
) -> Row:
    facts = facts_of(episode, falling, now) if episode is not None else None
    call_first = appointment.open_call_id is not None  # type: ignore[attr-defined]
    return Row(
        appointment=appointment,
        local_start=times.in_zone(appointment.start, appointment.clinic),
        episode=episode,
        items=attention.for_visit(facts, call_first=call_first),
        visits_left=attention.visits_left(facts) if facts is not None else None,
    )


def _by_day(rows: list[Row], now: dt.datetime) -> list[Day]:
    """Today and tomorrow, each on the appointment's own clinic calendar."""
    days = []
    for offset, label in enumerate(("Today", "Tomorrow")):
        found = [r for r in rows if _clinic_day(r, now, offset)]
        days.append(Day(date=_local_date(now, rows, offset), label=label, rows=found))
    return days


def _clinic_day(row: Row, now: dt.datetime, offset: int) -> bool:
    today = now.astimezone(row.local_start.tzinfo).date()
    return row.local_start.date() == today + dt.timedelta(days=offset)


def _local_date(now: dt.datetime, rows: list[Row], offset: int) -> dt.date:
    """The date shown in the heading: in the first appointment's zone, else the server's."""
    zone = rows[0].local_start.tzinfo if rows else dt.UTC
    return now.astimezone(zone).date() + dt.timedelta(days=offset)


def notes_to_sign(user: User, therapist: StaffMember) -> list[Visit]:
    """The therapist's visit notes not yet signed, oldest first (a note is due the same day)."""
    rows = Visit.objects.filter(
        therapist=therapist,
        signed_at__isnull=True,
        episode__in=episodes_visible_to(user),
    ).select_related("episode__patient", "episode__clinic")
    return list(rows.order_by("performed_on", "pk")[:NOTES_SHOWN])
