"""Writes for the home programme: session logs, adherence comments, lessons read, discharge.

Each service checks the actor again (views are not the only callers) and runs in a transaction.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.models import User
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.audit.models import Action
from unknot.booking.cancel_together import appointments_cancel_together
from unknot.booking.errors import BookingError
from unknot.booking.models import Appointment
from unknot.plans.home.selectors import future_visits
from unknot.plans.models import AdherenceComment, EducationAssignment, ExerciseLog
from unknot.records.models import Episode, EpisodeStatus
from unknot.records.selectors import get_episode_for_rw


def _ensure_own_open(by: User, episode: Episode) -> None:
    if episode.patient.user_id is None or episode.patient.user_id != by.pk:
        raise PermissionDenied("A person may only log sessions of their own programme.")
    if episode.status != EpisodeStatus.OPEN:
        raise PermissionDenied("This course of care has ended; sessions can no longer be logged.")


def _recorded(
    by: User, episode: Episode, action: str, kind: str, pk: Any, reason: str = ""
) -> None:
    """The audit row of a write, in the write's own transaction (ids and codes only)."""
    audit.record(
        action, by=by, object_type=kind, object_id=pk, patient_id=episode.patient_id,
        clinic_id=episode.clinic_id, reason=reason,
    )  # fmt: skip


def _ensure_clinical_writer(by: User, episode: Episode) -> Episode:
    """Therapists and managers of the episode's clinic; 404 outside it, 403 for other roles."""
    found = get_episode_for_rw(by, episode.pk)
    if staff_role(by) not in CLINICAL_ROLES:
        raise PermissionDenied("Only a therapist or clinic manager may do this.")
    return found


@transaction.atomic
def log_session(
    *,
    by: User,
    episode: Episode,
    performed_on: dt.date,
    status: str,
    pain_before: int | None,
    pain_after: int | None,
    note: str = "",
) -> ExerciseLog:
    _ensure_own_open(by, episode)
    log = ExerciseLog(
        episode=episode,
        performed_on=performed_on,
        status=status,
        pain_before=pain_before,
        pain_after=pain_after,
        note=note.strip(),
    )
    log.full_clean()
    log.save()
    _recorded(by, episode, Action.CREATE, "home_log", log.pk)  # how it went is not recorded
    return log


@transaction.atomic
def comment_on_week(
    *, by: User, episode: Episode, week_start: dt.date, text: str
) -> AdherenceComment:
    _ensure_clinical_writer(by, episode)
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": "A week starts on a Monday."})
    comment = AdherenceComment(
        episode=episode, week_start=week_start, author=by.staff_member, text=text.strip()
    )
    comment.full_clean()
    comment.save()
    _recorded(by, episode, Action.CREATE, "comment", comment.pk, "adherence")
    return comment


DISCHARGE_REASON = "Discharged"  # the cancelled visits' reason, as the calendar shows it
VISITS_CHANGED = (
    "The visits still to come changed while this page was open: one was booked, moved or "
    "cancelled meanwhile. Nothing changed: check the list and confirm again."
)
NOT_LISTED = (
    "A visit chosen to keep is not one of this episode's visits still to come. "
    "Nothing changed: check the list and confirm again."
)


@dataclass(frozen=True)
class Discharged:
    episode: Episode
    cancelled: list[Appointment]
    kept: list[Appointment]


@transaction.atomic
def discharge(
    *,
    by: User,
    episode: Episode,
    now: dt.datetime | None = None,
    keep: Collection[int] = (),
    shown: Collection[int] | None = None,
) -> Discharged:
    """Ends the episode and cancels its visits still to come, except those in `keep`.

    All of it or nothing: the visits are cancelled in the discharge's own transaction. `shown`
    is the visits the therapist saw listed (the page sends them back); when given, any change
    since then refuses the discharge rather than cancel a visit nobody was shown. Locks the
    episode row so two clicks cannot both discharge it.
    """
    _ensure_clinical_writer(by, episode)
    now = now or timezone.now()
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if locked.status == EpisodeStatus.DISCHARGED:
        raise ValidationError("This episode was already discharged.", code="already_discharged")
    visits = future_visits(locked, now)
    cancel, kept = _split(visits, set(keep), shown)
    locked.status = EpisodeStatus.DISCHARGED
    locked.discharged_at = now
    locked.save(update_fields=["status", "discharged_at"])
    _recorded(by, locked, Action.UPDATE, "episode", locked.pk, "discharged")
    cancelled = _cancel_visits(by, locked, cancel, now)
    return Discharged(locked, cancelled, kept)


def _split(
    visits: list[Appointment], keep: set[int], shown: Collection[int] | None
) -> tuple[list[Appointment], list[Appointment]]:
    """(to cancel, to keep); refuses ids that are not among the visits listed."""
    listed = {visit.pk for visit in visits}
    if shown is not None and set(shown) != listed:
        raise ValidationError(VISITS_CHANGED, code="visits_changed")
    if not keep <= listed:
        raise ValidationError(NOT_LISTED, code="not_listed")
    return [v for v in visits if v.pk not in keep], [v for v in visits if v.pk in keep]


def _cancel_visits(
    by: User, episode: Episode, visits: list[Appointment], now: dt.datetime
) -> list[Appointment]:
    try:
        return appointments_cancel_together(
            by=by,
            appointments=visits,
            now=now,
            reason=DISCHARGE_REASON,
            message_key=f"episode:{episode.pk}",  # one email per discharge, however often retried
        )
    except BookingError as refused:  # raised inside the transaction: the discharge rolls back
        raise ValidationError(f"{refused.message} Nothing changed.", code=refused.code) from refused


@transaction.atomic
def mark_lesson_read(
    *, by: User, episode: Episode, topic_key: str, now: dt.datetime | None = None
) -> int:
    """Records the first time the person opened a lesson; staff reading it changes nothing."""
    if episode.patient.user_id is None or episode.patient.user_id != by.pk:
        return 0
    unread = EducationAssignment.objects.filter(
        plan__episode=episode, topic_key=topic_key, read_at__isnull=True
    )
    marked = unread.update(read_at=now or timezone.now())
    if marked:  # the first opening only, like the mark; the topic is not named in the trail
        _recorded(by, episode, Action.UPDATE, "episode", episode.pk, "lesson_read")
    return marked
