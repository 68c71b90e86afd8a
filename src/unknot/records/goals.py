"""The person's goals in their own words: the activities of the Patient-Specific Functional
Scale (Stratford 1995), which the person names because their back makes them hard.

Writes:
- `goals_save`: the person writes, rewords or removes their goals in the portal. A new
  wording is a new row; the old one stays with the ratings given under it.
- `ratings_from_psfs`: an intake or a re-assessment stored a PSFS (an OutcomeScore whose
  details hold the activities and their scores). Each score is tied to the open goal with
  the same words (case and spacing aside), and a new goal is made for new words; part of the
  intake's or the visit's write (and of its audit row).

Reads: `goals_of` (inside an episode the caller already reached through an access helper),
`read_goals` (the same, recorded in the audit trail as a read of the goals).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit
from unknot.accounts.models import AnyUser, User
from unknot.audit.models import Action
from unknot.care import DEFAULT_SETTINGS, Change, Settings
from unknot.care.instruments import psfs
from unknot.common.errors import Refused
from unknot.records.models import (
    ActivityGoal,
    ActivityRating,
    ActivityWording,
    Episode,
    EpisodeStatus,
    OutcomeScore,
)

MOST = max(psfs.ROWS)  # PSFS asks for 3 to 5 activities
FEWEST = psfs.NEEDED_ROWS
TEXT_LENGTH = 200


@dataclass(frozen=True)
class Rating:
    measured_on: dt.date
    score: float
    words: str  # the wording it was rated under


@dataclass(frozen=True)
class Goal:
    pk: int
    words: str  # as the person says it now
    earlier_words: tuple[str, ...]  # older wordings, oldest first
    ratings: tuple[Rating, ...]  # oldest first
    removed: bool

    @property
    def points(self) -> tuple[tuple[dt.date, float], ...]:
        return tuple((r.measured_on, r.score) for r in self.ratings)


def change_since_first(goal: Goal, settings: Settings = DEFAULT_SETTINGS) -> Change | None:
    """The latest rating against the first, judged by MCID-PSFS-ITEM (3 points on one
    activity); None until it has been rated twice."""
    if len(goal.ratings) < 2:
        return None
    first, latest = goal.ratings[0].score, goal.ratings[-1].score
    return psfs.psfs_activity_change(goal.words, first, latest, settings)


def tidy(text: str) -> str:
    """The words as written, with runs of spaces and line breaks made one space."""
    return " ".join(text.split())


def _goal(row: ActivityGoal) -> Goal:
    wordings = list(row.wordings.all())
    texts = {w.pk: w.text for w in wordings}
    ratings = tuple(
        Rating(r.measured_on, r.score, texts.get(r.wording_id, "")) for r in row.ratings.all()
    )
    return Goal(row.pk, wordings[-1].text, tuple(w.text for w in wordings[:-1]), ratings,
                row.removed_at is not None)  # fmt: skip


def goals_of(episode: Episode, *, removed: bool = False) -> list[Goal]:
    """The episode's goals in the order they were first written (three queries). With
    `removed`, also those taken off the list, which keep their ratings."""
    rows = ActivityGoal.objects.filter(episode=episode)
    if not removed:
        rows = rows.filter(removed_at__isnull=True)
    return [_goal(row) for row in rows.prefetch_related("wordings", "ratings")]


def read_goals(user: AnyUser, episode: Episode, *, removed: bool = False) -> list[Goal]:
    """`goals_of`, with the read recorded (the episode came through an access helper)."""
    audit.record(
        Action.READ, by=user, object_type="goals", object_id=episode.pk,
        patient_id=episode.patient_id, clinic_id=episode.clinic_id,
    )  # fmt: skip
    return goals_of(episode, removed=removed)


class GoalsChanged(Refused):
    """The list was changed elsewhere (at a visit) while the page was open."""

    code = "goals_changed"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "Your goals were changed at the clinic while this page was open. Here they are "
            "now: please make your changes again."
        )


def _ensure_own_open(by: User, episode: Episode) -> Episode:
    """The person's own open episode, locked so two saves cannot interleave."""
    if episode.patient.user_id is None or episode.patient.user_id != by.pk:
        raise PermissionDenied("A person may only write their own goals.")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if locked.status != EpisodeStatus.OPEN:
        raise PermissionDenied("This course of care has ended; its goals are kept as they were.")
    return locked


def _new_goal(episode: Episode, text: str, by: User | None, now: dt.datetime) -> ActivityWording:
    goal = ActivityGoal.objects.create(episode=episode, created_at=now)
    return ActivityWording.objects.create(goal=goal, text=text, written_at=now, written_by=by)


def _current_wordings(episode: Episode) -> dict[int, ActivityWording]:
    """Each open goal's latest wording, by goal id."""
    latest: dict[int, ActivityWording] = {}
    wordings = ActivityWording.objects.filter(goal__episode=episode, goal__removed_at=None)
    for wording in wordings.order_by("written_at", "pk"):
        latest[wording.goal_id] = wording
    return latest


@transaction.atomic
def goals_save(
    *, by: User, episode: Episode, rows: Sequence[tuple[int | None, str]], now: dt.datetime
) -> int:
    """The person's own goals as the page sends them: (goal id or None for a new one, words).
    Returns how many changed. Raises GoalsChanged (writing nothing) when a row names a goal
    that is not on the episode's list any more."""
    locked = _ensure_own_open(by, episode)
    current = _current_wordings(locked)
    named = [pk for pk, _ in rows if pk is not None]
    if len(set(named)) != len(named) or not set(named) <= set(current):
        raise GoalsChanged
    changed = 0
    for pk, text in rows:
        changed += _apply_row(locked, current, pk, text, by, now)
    if changed:
        audit.record(
            Action.UPDATE, by=by, object_type="goals", object_id=locked.pk,
            patient_id=locked.patient_id, clinic_id=locked.clinic_id, reason="goals_written",
        )  # fmt: skip
    return changed


def _apply_row(
    episode: Episode,
    current: dict[int, ActivityWording],
    pk: int | None,
    text: str,
    by: User,
    now: dt.datetime,
) -> bool:
    """One row of the page: a new goal, new words for a goal, or a goal taken off the list."""
    words = tidy(text)[:TEXT_LENGTH]
    if pk is None:
        if words:
            _new_goal(episode, words, by, now)
        return bool(words)
    if not words:
        ActivityGoal.objects.filter(pk=pk).update(removed_at=now)
        return True
    if words == current[pk].text:
        return False
    ActivityWording.objects.create(goal_id=pk, text=words, written_at=now, written_by=by)
    return True


def ratings_from_psfs(
    outcomes: Iterable[OutcomeScore], *, by: User | None, now: dt.datetime
) -> None:
    """Ties each activity of the stored PSFS rows among `outcomes` to its goal (see the
    module's docstring); the other rows are left alone. Runs inside the caller's write."""
    for outcome in outcomes:
        if outcome.instrument != psfs.INSTRUMENT.key:
            continue
        assert outcome.pk is not None, "the PSFS row is stored first"
        current = {w.text.casefold(): w for w in _current_wordings(outcome.episode).values()}
        for item in outcome.details.get("items", ()):
            words = tidy(str(item["activity"]))[:TEXT_LENGTH]
            wording = current.get(words.casefold()) or _new_goal(outcome.episode, words, by, now)
            current[words.casefold()] = wording
            ActivityRating.objects.create(
                goal_id=wording.goal_id, wording=wording, outcome=outcome,
                score=float(item["score"]), measured_on=outcome.measured_on,
            )  # fmt: skip


def words_to_rate(episode: Episode) -> list[str]:
    """The open goals' words, for a re-assessment to rate again (at most the PSFS's rows)."""
    return [goal.words for goal in goals_of(episode)][:MOST]
