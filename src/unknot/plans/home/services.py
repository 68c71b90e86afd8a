"""Writes for the home programme: session logs, adherence comments, lessons read, discharge.

Each service checks the actor again (views are not the only callers) and runs in a transaction.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.audit.models import Action
from unknot.plans.models import AdherenceComment, EducationAssignment, ExerciseLog
from unknot.records.models import Episode, EpisodeStatus
from unknot.records.selectors import get_episode_for_rw


def _ensure_own_open(by: Any, episode: Episode) -> None:
    if episode.patient.user_id is None or episode.patient.user_id != by.pk:
        raise PermissionDenied("A person may only log sessions of their own programme.")
    if episode.status != EpisodeStatus.OPEN:
        raise PermissionDenied("This course of care has ended; sessions can no longer be logged.")


def _recorded(by: Any, episode: Episode, action: str, kind: str, pk: Any, reason: str = "") -> None:
    """The audit row of a write, in the write's own transaction (ids and codes only)."""
    audit.record(
        action, by=by, object_type=kind, object_id=pk, patient_id=episode.patient_id,
        clinic_id=episode.clinic_id, reason=reason,
    )  # fmt: skip


def _ensure_clinical_writer(by: Any, episode: Episode) -> Episode:
    """Therapists and managers of the episode's clinic; 404 outside it, 403 for other roles."""
    found = get_episode_for_rw(by, episode.pk)
    if staff_role(by) not in CLINICAL_ROLES:
        raise PermissionDenied("Only a therapist or clinic manager may do this.")
    return found


@transaction.atomic
def log_session(
    *,
    by: Any,
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
    *, by: Any, episode: Episode, week_start: dt.date, text: str
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


@transaction.atomic
def discharge(*, by: Any, episode: Episode, now: dt.datetime | None = None) -> Episode:
    """Ends the episode. Locks the row so two clicks cannot both discharge it."""
    _ensure_clinical_writer(by, episode)
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if locked.status == EpisodeStatus.DISCHARGED:
        raise ValidationError("This episode was already discharged.")
    locked.status = EpisodeStatus.DISCHARGED
    locked.discharged_at = now or timezone.now()
    locked.save(update_fields=["status", "discharged_at"])
    _recorded(by, locked, Action.UPDATE, "episode", locked.pk, "discharged")
    return locked


@transaction.atomic
def mark_lesson_read(
    *, by: Any, episode: Episode, topic_key: str, now: dt.datetime | None = None
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
