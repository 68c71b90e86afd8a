"""Home-programme adherence per week, from the person's session logs. No database, no clock.

Weeks run Monday to Sunday in the clinic's calendar. A week's target is the programme's sessions
per week, prorated for the days of that week the programme existed and that have already
happened, so a plan signed on a Thursday or a week still in progress is not judged on days it
did not have. "% done" counts sessions marked done; partly-done sessions are shown beside it
rather than given an invented weight.
"""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

ONE_DAY = dt.timedelta(days=1)


class LogLike(Protocol):
    performed_on: dt.date
    status: str
    pain_before: int | None
    pain_after: int | None


@dataclass(frozen=True)
class Week:
    start: dt.date
    end: dt.date
    prescribed: int
    logged: int
    done: int
    partly: int
    skipped: int
    percent_done: int | None  # None when nothing was prescribed yet
    mean_pain_change: float | None  # after minus before: negative means pain eased


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def prescribed_in(start: dt.date, first: dt.date, today: dt.date, per_week: int) -> int:
    """Sessions due in the week from `start`, counting only days from `first` up to `today`."""
    days = (min(start + 6 * ONE_DAY, today) - max(start, first)).days + 1
    return math.ceil(per_week * days / 7) if days > 0 else 0


def mean_pain_change(logs: Iterable[LogLike]) -> float | None:
    changes = [
        log.pain_after - log.pain_before
        for log in logs
        if log.pain_before is not None and log.pain_after is not None
    ]
    return round(sum(changes) / len(changes), 1) if changes else None


def _week(start: dt.date, logs: Sequence[LogLike], prescribed: int) -> Week:
    done = sum(1 for log in logs if log.status == "done")
    partly = sum(1 for log in logs if log.status == "partly")
    percent = min(100, round(100 * done / prescribed)) if prescribed else None
    return Week(
        start=start,
        end=start + 6 * ONE_DAY,
        prescribed=prescribed,
        logged=len(logs),
        done=done,
        partly=partly,
        skipped=len(logs) - done - partly,
        percent_done=percent,
        mean_pain_change=mean_pain_change(logs),
    )


def weekly(logs: Iterable[LogLike], *, per_week: int, first: dt.date, today: dt.date) -> list[Week]:
    """One row per week from the week of `first` (or of an earlier log) to the current week."""
    logs = list(logs)
    earliest = min([first, *(log.performed_on for log in logs)])
    weeks = []
    start = week_start(earliest)
    while start <= today:
        in_week = [log for log in logs if start <= log.performed_on <= start + 6 * ONE_DAY]
        weeks.append(_week(start, in_week, prescribed_in(start, first, today, per_week)))
        start += 7 * ONE_DAY
    return weeks


def totals(weeks: Sequence[Week], logs: Iterable[LogLike]) -> Week | None:
    """The whole programme so far as one row; the pain change is the mean over every log."""
    if not weeks:
        return None
    prescribed = sum(w.prescribed for w in weeks)
    done = sum(w.done for w in weeks)
    return Week(
        start=weeks[0].start,
        end=weeks[-1].end,
        prescribed=prescribed,
        logged=sum(w.logged for w in weeks),
        done=done,
        partly=sum(w.partly for w in weeks),
        skipped=sum(w.skipped for w in weeks),
        percent_done=min(100, round(100 * done / prescribed)) if prescribed else None,
        mean_pain_change=mean_pain_change(logs),
    )


# Below this share of prescribed sessions done in a whole week, the therapist is told on their
# day list. A heuristic of ours, not a published threshold (docs/workspace.md).
ADHERENCE_FLOOR_PERCENT = 50


def falling(weeks: Sequence[Week], today: dt.date) -> bool:
    """Is the home programme falling behind? The last whole week (the current one is still
    running) had sessions prescribed, fewer than the floor were done, and it did no better
    than the whole week before it (if any)."""
    whole_weeks = [w.percent_done for w in weeks if w.end < today]
    shares = [share for share in whole_weeks if share is not None]
    if not shares:
        return False
    last, before = shares[-1], shares[-2] if len(shares) > 1 else None
    return last < ADHERENCE_FLOOR_PERCENT and (before is None or last <= before)
