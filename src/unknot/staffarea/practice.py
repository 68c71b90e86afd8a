"""The practice dashboard's figures, over a chosen period and clinic, for managers.

Every figure is computed by the database over sets (GROUP BY, conditional counts, one
subquery per measure), through the access selectors that take the user: a manager sees their
own clinics only. The number of queries does not grow with the data; the Python work grows
only with the number of clinics, therapists and the episodes discharged in the period.

Definitions (docs/workspace.md says which are heuristics of ours):
- a day of the period is the clinic's own calendar day;
- a late cancellation is the patient's own (online or through the front desk) with less
  notice than its appointment type's change notice, as stored when it was made; the clinic's
  cancellations are counted apart and never as late;
- over the attendance policy: patients with more missed or late-cancelled visits than their
  clinic allows in its window ending at the end of the period (`booking.attendance`);
- available hours are the therapist's weekly working hours on the period's days the clinic
  was not closed, less their time off; booked hours include no-shows (the time was held);
- plan completion: of the episodes discharged in the period, the visits attended against the
  signed plan's frequency times weeks;
- a drop-out: an open episode with a signed plan, no visit in the last `DROP_OUT_DAYS` days
  and nothing booked ahead;
- outcomes: of the episodes discharged in the period with two measurements or more of a
  followed measure, the share whose change from the first to the last reaches the measure's
  meaningful change (the care core's verdict "improved");
- home-programme adherence: sessions logged as done against those prescribed, over the days
  of the period each programme ran.
"""

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from unknot.accounts.models import User
from unknot.booking.attendance import over_policy_counts
from unknot.booking.models import Appointment, CancelledBy, Status, TimeOff, WorkingHours
from unknot.booking.selectors import appointments_visible_to
from unknot.care import DEFAULT_SETTINGS
from unknot.care.instruments import FOLLOWED, Measure
from unknot.clinics.models import Clinic, Closure, StaffMember
from unknot.clinics.times import on_clinic_days
from unknot.plans.selectors import (
    home_sessions_done,
    home_sessions_per_week,
    signed_plan_value,
    with_signed_plan,
)
from unknot.records.models import Episode, EpisodeStatus, OutcomeScore, Visit
from unknot.records.selectors import episodes_visible_to, visit_count

DROP_OUT_DAYS = 21
HELD_TIME = (Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date  # inclusive

    def bounds(self, clinic: Clinic) -> tuple[dt.datetime, dt.datetime]:
        """The period as instants: from the clinic's midnight of `first` to that after `last`."""
        zone = ZoneInfo(clinic.time_zone)
        start = dt.datetime.combine(self.first, dt.time(), zone)
        return start, dt.datetime.combine(self.last + ONE_DAY, dt.time(), zone)

    def days(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += ONE_DAY


@dataclass
class Activity:
    attended: int = 0
    new_patients: int = 0
    cancelled: int = 0
    late_cancelled: int = 0  # the patient's, inside the notice
    cancelled_by_clinic: int = 0
    no_shows: int = 0
    over_policy: int = 0  # patients, at the end of the period


@dataclass(frozen=True)
class Utilisation:
    therapist: StaffMember
    clinic: Clinic
    booked_hours: float
    available_hours: float

    @property
    def percent(self) -> int | None:
        if not self.available_hours:
            return None
        return round(100 * self.booked_hours / self.available_hours)


@dataclass
class Completion:
    discharged: int = 0
    visits_attended: int = 0
    visits_planned: int = 0
    completed_plan: int = 0  # discharged having attended every planned visit
    drop_outs: int = 0

    @property
    def percent(self) -> int | None:
        if not self.visits_planned:
            return None
        return round(100 * min(self.visits_attended, self.visits_planned) / self.visits_planned)


@dataclass
class OutcomeShare:
    measure: Measure
    patients: int = 0  # discharged with two measurements or more
    improved: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.improved / self.patients) if self.patients else None


@dataclass
class Adherence:
    done: int = 0
    prescribed: int = 0
    programmes: int = 0

    @property
    def percent(self) -> int | None:
        return min(100, round(100 * self.done / self.prescribed)) if self.prescribed else None


@dataclass
class Dashboard:
    period: Period
    clinics: list[Clinic]
    activity: dict[int, Activity] = field(default_factory=dict)  # by clinic id
    utilisation: list[Utilisation] = field(default_factory=list)
    completion: dict[int, Completion] = field(default_factory=dict)
    outcomes_by_clinic: dict[int, list[OutcomeShare]] = field(default_factory=dict)
    outcomes_by_therapist: dict[int, list[OutcomeShare]] = field(default_factory=dict)
    adherence: dict[int, Adherence] = field(default_factory=dict)
    therapists: dict[int, StaffMember] = field(default_factory=dict)

    def total_activity(self) -> Activity:
        total = Activity()
        for row in self.activity.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def dashboard(user: User, period: Period, clinics: list[Clinic]) -> Dashboard:
    """The figures for `clinics` (already limited to the user's) over `period`."""
    board = Dashboard(period=period, clinics=clinics)
    if not clinics:
        return board
    counts, booked = _appointment_figures(user, period, clinics)
    board.activity = _activity(user, period, clinics, counts)
    board.therapists = {t.pk: t for t in _therapists(clinics)}
    board.utilisation = _utilisation(period, clinics, board.therapists, booked)
    discharged = _discharged(user, period, clinics)
    board.completion = _completion(user, period, clinics, discharged)
    board.outcomes_by_clinic = _outcomes(discharged, "clinic_id")
    board.outcomes_by_therapist = _outcomes(discharged, "therapist_id")
    board.adherence = _adherence(user, period, clinics)
    return board


def _in_period(path: str, period: Period, clinics: Iterable[Clinic], via: str = "clinic") -> Q:
    """Rows whose `path` instant falls on the period's days of their own clinic."""
    return on_clinic_days(path, period.first, period.last, clinics, via)


# --- activity -----------------------------------------------------------------------------


def _activity(
    user: User, period: Period, clinics: list[Clinic], counts: dict[int, Activity]
) -> dict[int, Activity]:
    board = {clinic.pk: counts.get(clinic.pk, Activity()) for clinic in clinics}
    opened = episodes_visible_to(user).filter(_in_period("opened_at", period, clinics))
    for clinic_id, count in opened.values_list("clinic_id").annotate(n=Count("pk")):
        board[clinic_id].new_patients = count
    ends = {clinic.pk: period.bounds(clinic)[1] for clinic in clinics}
    for clinic_id, count in over_policy_counts(user, clinics, ends).items():
        board[clinic_id].over_policy = count
    return board


COUNTED = {
    "attended": Q(status=Status.COMPLETED),
    "no_shows": Q(status=Status.NO_SHOW),
    "cancelled": Q(status=Status.CANCELLED),
    "late_cancelled": Q(status=Status.CANCELLED, cancelled_late=True),
    "cancelled_by_clinic": Q(status=Status.CANCELLED, cancelled_by=CancelledBy.CLINIC),
}


def _appointment_figures(
    user: User, period: Period, clinics: list[Clinic]
) -> tuple[dict[int, Activity], dict[tuple[int, int], float]]:
    """One pass over the period's appointments, grouped by clinic and therapist: what became
    of them, per clinic (lateness and who cancelled were stored at the cancellation), and the
    minutes each therapist's time was held at each clinic (booked hours include no-shows)."""
    length = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    rows = appointments_visible_to(user).filter(_in_period("start", period, clinics))
    grouped = rows.values("clinic_id", "therapist_id").annotate(
        held=Sum(length, filter=Q(status__in=HELD_TIME)),
        **{name: Count("pk", filter=which) for name, which in COUNTED.items()},
    )
    activity: dict[int, Activity] = defaultdict(Activity)
    booked: dict[tuple[int, int], float] = {}
    for row in map(dict[str, Any], grouped):  # rows keyed by the names above
        figures = activity[row["clinic_id"]]
        for name in COUNTED:
            setattr(figures, name, getattr(figures, name) + row[name])
        if row["therapist_id"] is not None and row["held"] is not None:
            booked[(row["therapist_id"], row["clinic_id"])] = row["held"].total_seconds() / 60
    return dict(activity), booked


# --- utilisation ----------------------------------------------------------------------------


def _therapists(clinics: list[Clinic]) -> list[StaffMember]:
    rows = StaffMember.objects.filter(clinics__in=clinics, role="therapist").distinct()
    return list(rows.select_related("user").order_by("user__last_name", "user__first_name"))


def _utilisation(
    period: Period,
    clinics: list[Clinic],
    therapists: dict[int, StaffMember],
    booked: dict[tuple[int, int], float],
) -> list[Utilisation]:
    available = _available_minutes(period, clinics, therapists)
    by_id = {clinic.pk: clinic for clinic in clinics}
    keys = sorted(set(booked) | set(available), key=lambda k: (by_id[k[1]].name, k[0]))
    return [
        Utilisation(
            therapist=therapists[therapist_id],
            clinic=by_id[clinic_id],
            booked_hours=round(booked.get((therapist_id, clinic_id), 0) / 60, 1),
            available_hours=round(available.get((therapist_id, clinic_id), 0) / 60, 1),
        )
        for therapist_id, clinic_id in keys
        if therapist_id in therapists
    ]


def _available_minutes(
    period: Period, clinics: list[Clinic], therapists: dict[int, StaffMember]
) -> dict[tuple[int, int], float]:
    open_days = _open_weekdays(period, clinics)
    minutes: Counter[tuple[int, int]] = Counter()
    hours = WorkingHours.objects.filter(clinic__in=clinics, therapist_id__in=therapists)
    for row in hours.values("therapist_id", "clinic_id", "weekday", "start", "end"):
        length = _minutes_between(row["start"], row["end"])
        days = open_days[row["clinic_id"]][row["weekday"]]
        minutes[(row["therapist_id"], row["clinic_id"])] += length * days
    for key, away in _time_off_minutes(period, clinics, therapists).items():
        if key in minutes:
            minutes[key] = max(0, minutes[key] - away)
    return dict(minutes)


def _minutes_between(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _open_weekdays(period: Period, clinics: list[Clinic]) -> dict[int, Counter[int]]:
    """Per clinic, how many of the period's days of each weekday it was not closed."""
    closed: dict[int, set[dt.date]] = defaultdict(set)
    closures = Closure.objects.filter(
        clinic__in=clinics, start_date__lte=period.last, end_date__gte=period.first
    )
    for closure in closures:
        day = max(closure.start_date, period.first)
        while day <= min(closure.end_date, period.last):
            closed[closure.clinic_id].add(day)
            day += ONE_DAY
    return {
        clinic.pk: Counter(d.weekday() for d in period.days() if d not in closed[clinic.pk])
        for clinic in clinics
    }


def _time_off_minutes(
    period: Period, clinics: list[Clinic], therapists: dict[int, StaffMember]
) -> Counter[tuple[int, int]]:
    """Time off inside the period, clipped to it, against each of the clinics (time off is
    everywhere); the caller keeps it where the therapist has working hours. An estimate, not
    the exact overlap with those hours."""
    away: Counter[tuple[int, int]] = Counter()
    widest = (min(period.bounds(c)[0] for c in clinics), max(period.bounds(c)[1] for c in clinics))
    rows = TimeOff.objects.filter(
        therapist_id__in=therapists, start__lt=widest[1], end__gt=widest[0]
    )
    for off in rows:
        overlap = min(off.end, widest[1]) - max(off.start, widest[0])
        for clinic in clinics:
            # Kept only where the therapist has working hours there (`_available_minutes`).
            away[(off.therapist_id, clinic.pk)] += int(overlap.total_seconds() // 60)
    return away


# --- plans of care ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One followed measure of one episode: its first and last value, and how many."""

    first: float
    last: float
    count: int


def _discharged(user: User, period: Period, clinics: list[Clinic]) -> list[dict[str, Any]]:
    """The episodes discharged in the period: one row each, with their visits, their plan and
    the verdict on every followed measure (`verdicts`: measure key -> verdict or None), in
    two queries: the episodes, then their scores of the followed measures in time order (a
    subquery per measure and episode read each episode's scores fifteen times)."""
    rows = episodes_visible_to(user).filter(
        _in_period("discharged_at", period, clinics), status=EpisodeStatus.DISCHARGED
    )
    episodes: list[dict[str, Any]] = [
        dict(row)
        for row in rows.annotate(
            attended=visit_count(),
            per_week=signed_plan_value("frequency_per_week"),
            weeks=signed_plan_value("duration_weeks"),
        ).values("pk", "clinic_id", "therapist_id", "attended", "per_week", "weeks")
    ]
    series = _followed_scores(rows)
    for row in episodes:
        row["verdicts"] = {
            measure.key: _verdict(measure, series.get((row["pk"], measure.key)))
            for measure in FOLLOWED
        }
    return episodes


def _followed_scores(episodes: QuerySet[Episode]) -> dict[tuple[int, str], Series]:
    """(episode, measure) -> its first and last value and how many there are, ordered as
    `episode_score` orders them (date, then the order stored). One plain ordered read: on
    PostgreSQL it is several times faster than reducing each series with window functions."""
    scores = OutcomeScore.objects.filter(
        episode__in=episodes.values("pk"), instrument__in=[m.key for m in FOLLOWED]
    ).order_by("episode_id", "instrument", "measured_on", "pk")
    values: dict[tuple[int, str], list[float]] = defaultdict(list)
    for episode_id, instrument, value in scores.values_list("episode_id", "instrument", "value"):
        values[(episode_id, instrument)].append(value)
    return {key: Series(seen[0], seen[-1], len(seen)) for key, seen in values.items()}


def _completion(
    user: User, period: Period, clinics: list[Clinic], discharged: list[dict[str, Any]]
) -> dict[int, Completion]:
    board = {clinic.pk: Completion() for clinic in clinics}
    for row in discharged:
        figures = board[row["clinic_id"]]
        figures.discharged += 1
        if row["per_week"] is None:
            continue  # discharged without a signed plan: nothing was prescribed
        planned = row["per_week"] * row["weeks"]
        figures.visits_planned += planned
        figures.visits_attended += row["attended"]
        figures.completed_plan += row["attended"] >= planned
    for clinic_id, count in _drop_outs(user, period, clinics):
        board[clinic_id].drop_outs = count
    return board


def _drop_outs(user: User, period: Period, clinics: list[Clinic]) -> Iterable[tuple[int, int]]:
    """Open episodes under a signed plan with no visit in the `DROP_OUT_DAYS` before the
    period's end (or none since the plan was signed) and nothing booked after it."""
    cutoff = period.last - dt.timedelta(days=DROP_OUT_DAYS)
    ahead = Appointment.objects.filter(
        patient_id=OuterRef("patient_id"), clinic_id=OuterRef("clinic_id"),
        status=Status.BOOKED, start__date__gt=period.last,
    )  # fmt: skip
    latest = Visit.objects.filter(episode_id=OuterRef("pk")).order_by("-performed_on")
    rows = (
        episodes_visible_to(user)
        .filter(clinic__in=clinics, status=EpisodeStatus.OPEN, pk__in=with_signed_plan())
        .annotate(
            signed_at=signed_plan_value("signed_at"),
            last_visit=Subquery(latest.values("performed_on")[:1]),
            booked_ahead=Exists(ahead),
        )
        .filter(signed_at__date__lt=cutoff, booked_ahead=False)
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True))
    )
    return [(r["clinic_id"], r["n"]) for r in rows.values("clinic_id").annotate(n=Count("pk"))]


# --- outcomes -----------------------------------------------------------------------------


def _outcomes(discharged: list[dict[str, Any]], by: str) -> dict[int, list[OutcomeShare]]:
    """Per clinic or per therapist, each followed measure's share reaching its meaningful
    change, with the number of patients behind it."""
    board: dict[int, dict[str, OutcomeShare]] = defaultdict(
        lambda: {m.key: OutcomeShare(measure=m) for m in FOLLOWED}
    )
    for row in discharged:
        if row[by] is None:
            continue
        for key, verdict in row["verdicts"].items():
            if verdict is None:
                continue
            share = board[row[by]][key]
            share.patients += 1
            share.improved += verdict == "improved"
    return {key: list(shares.values()) for key, shares in board.items()}


def _verdict(measure: Measure, series: Series | None) -> str | None:
    """The care core's verdict on the change from the first value to the last; None with
    fewer than two measurements."""
    if series is None or series.count < 2 or measure.mcid is None:
        return None
    return measure.mcid.change(series.first, series.last, DEFAULT_SETTINGS).verdict


# --- home programme -----------------------------------------------------------------------


def _programmes(user: User, period: Period, clinics: list[Clinic]) -> QuerySet[Episode]:
    """Episodes under a signed plan that was running on some day of the period, with the plan's
    home sessions per week (None: no home exercises, which the reader leaves out; filtering on
    the subqueries here made the database run each of them twice per row)."""
    latest_end = max(period.bounds(c)[1] for c in clinics)
    earliest_start = min(period.bounds(c)[0] for c in clinics)
    return (
        episodes_visible_to(user)
        .filter(clinic__in=clinics, opened_at__lt=latest_end, pk__in=with_signed_plan())
        .filter(Q(discharged_at__isnull=True) | Q(discharged_at__gte=earliest_start))
        .annotate(per_week=home_sessions_per_week(), signed_at=signed_plan_value("signed_at"))
    )


def _adherence(user: User, period: Period, clinics: list[Clinic]) -> dict[int, Adherence]:
    board = {clinic.pk: Adherence() for clinic in clinics}
    done = home_sessions_done(period.first, period.last)
    rows = _programmes(user, period, clinics).annotate(done=done)
    zones = {clinic.pk: ZoneInfo(clinic.time_zone) for clinic in clinics}
    for row in rows.values("clinic_id", "per_week", "signed_at", "discharged_at", "done"):
        if row["per_week"] is None:
            continue  # no home exercises in the signed plan: nothing was prescribed
        days = _days_running(row, period, zones[row["clinic_id"]])
        if days <= 0:
            continue
        figures = board[row["clinic_id"]]
        figures.programmes += 1
        figures.done += row["done"]
        figures.prescribed += math.ceil(row["per_week"] * days / 7)
    return board


def _days_running(row: Any, period: Period, zone: ZoneInfo) -> int:
    first = max(period.first, row["signed_at"].astimezone(zone).date())
    ended = row["discharged_at"]
    last = min(period.last, ended.astimezone(zone).date()) if ended else period.last
    return (last - first).days + 1


# --- for the page and the CSV ---------------------------------------------------------------


def per_clinic[T](board: Dashboard, figures: dict[int, T]) -> list[tuple[Clinic, T]]:
    return [(clinic, figures[clinic.pk]) for clinic in board.clinics if clinic.pk in figures]


def per_therapist(board: Dashboard) -> list[tuple[StaffMember, list[OutcomeShare]]]:
    return [
        (therapist, board.outcomes_by_therapist[pk])
        for pk, therapist in board.therapists.items()
        if pk in board.outcomes_by_therapist
    ]


CSV_HEADER = ("section", "clinic or therapist", "figure", "value", "out of")


def csv_rows(board: Dashboard) -> Iterator[tuple[object, ...]]:
    """Every figure of the page, one per line, with what it is out of where it is a share."""
    for clinic, act in [*per_clinic(board, board.activity)]:
        for name in vars(act):
            yield ("activity", clinic.name, name.replace("_", " "), getattr(act, name), "")
    for use in board.utilisation:
        who = f"{use.therapist.display_name} at {use.clinic.name}"
        yield ("utilisation", who, "booked hours", use.booked_hours, use.available_hours)
    for clinic, done in per_clinic(board, board.completion):
        yield ("plan completion", clinic.name, "visits attended", done.visits_attended,
               done.visits_planned)  # fmt: skip
        yield ("plan completion", clinic.name, "discharged", done.discharged, "")
        yield ("plan completion", clinic.name, "drop-outs", done.drop_outs, "")
    for clinic, shares in per_clinic(board, board.outcomes_by_clinic):
        yield from _share_rows(clinic.name, shares)
    for therapist, shares in per_therapist(board):
        yield from _share_rows(therapist.display_name, shares)
    for clinic, home in per_clinic(board, board.adherence):
        yield ("home programme", clinic.name, "sessions done", home.done, home.prescribed)


def _share_rows(who: str, shares: list[OutcomeShare]) -> Iterator[tuple[object, ...]]:
    for share in shares:
        label = f"reached the meaningful change: {share.measure.label}"
        yield ("outcomes at discharge", who, label, share.improved, share.patients)
