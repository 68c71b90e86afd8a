"""The therapist's review of intakes before the first visit."""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from unknot import care
from unknot.accounts.access import SignedInRequest, may_write, staff_only, staff_role
from unknot.accounts.roles import CHART_ROLES, CLINICAL_ROLES
from unknot.records.clinical import screening
from unknot.records.clinical.selectors import latest_evaluation
from unknot.records.intake import readable, scoring, services
from unknot.records.intake.views_tablet import hand_back_url, locked_episode
from unknot.records.models import EpisodeStatus, Evaluation, Intake, IntakeStatus
from unknot.records.selectors import episodes_visible_to, get_episode_for, get_episode_for_rw

View = Callable[..., HttpResponse]


def not_while_handed_over(view: View) -> View:
    """A tablet still in a patient's hands goes back to its hand-back page, not to staff pages."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        locked = locked_episode(request)
        if locked is not None:
            return redirect(hand_back_url(locked))
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Row:
    intake: Intake
    local_start: dt.datetime | None
    needs_attention: bool  # an emergency answer nobody has acknowledged yet
    screening_incomplete: bool = False  # SCREEN-1: a red-flag domain is still open


def _row(intake: Intake, screening_incomplete: bool = False) -> Row:
    appointment = intake.appointment
    start = None
    if appointment is not None:
        start = appointment.start.astimezone(zoneinfo.ZoneInfo(appointment.clinic.time_zone))
    attention = intake.emergency_at is not None and intake.reviewed_at is None
    return Row(intake, start, attention, screening_incomplete)


def _incomplete(intake: Intake, evaluation: Evaluation | None, now: dt.datetime) -> bool:
    """Whether a red-flag domain is still open (an unreadable record counts as open)."""
    today = scoring.clinic_today(intake, now)
    try:
        return not screening.intake_screen(intake, today, evaluation).complete
    except care.CaseError:
        return True


def _list_row(intake: Intake, now: dt.datetime) -> Row:
    # Prefetch(to_attr=) in the list's query: an attribute the model's type cannot know.
    latest = next(iter(intake.episode.newest_first), None)  # type: ignore[attr-defined]
    return _row(intake, _incomplete(intake, latest, now))


_STATUS_ORDER: dict[str, int] = {
    IntakeStatus.SUBMITTED: 0,
    IntakeStatus.DRAFT: 1,
    IntakeStatus.REVIEWED: 2,
}
_LATE = dt.datetime.max.replace(tzinfo=dt.UTC)


def _order(row: Row) -> tuple[Any, ...]:
    start = row.intake.appointment.start if row.intake.appointment else _LATE
    return (not row.needs_attention, _STATUS_ORDER.get(row.intake.status, 3), start)


# How long an intake stays on the list after its appointment (or, without one, its last change)
# once nothing on it is waiting for staff: the week's work, not the years behind it.
RECENT = dt.timedelta(days=7)


def still_to_see(now: dt.datetime) -> list[int]:
    """The ids of the intakes the list shows: every alert nobody has acknowledged and every
    intake sent and not yet reviewed, however old (work for staff until someone closes it); the
    others (being filled in, or reviewed) while their appointment is at most RECENT ago or
    ahead. One statement, a union of four index reads: an OR of the four over the joined rows
    would read every intake of the practice's history."""
    since = now - RECENT
    ids = Intake.objects.values_list("pk", flat=True).order_by()
    alerts = ids.filter(emergency_at__isnull=False, reviewed_at__isnull=True)
    sent = ids.filter(status=IntakeStatus.SUBMITTED)
    around_a_visit = ids.filter(appointment__start__gte=since)
    unbooked = ids.filter(appointment__isnull=True, updated_at__gte=since)
    return list(alerts.union(sent, around_a_visit, unbooked))


@require_safe
@staff_only(CHART_ROLES)
@not_while_handed_over
def review_list(request: HttpRequest) -> HttpResponse:
    episodes = episodes_visible_to(request.user).filter(status=EpisodeStatus.OPEN)
    # The evaluations come in one query for all rows: the screen of each row reads its latest.
    newest_first = Evaluation.objects.order_by("-performed_on", "-pk")
    now = timezone.now()
    intakes = (
        Intake.objects.filter(episode__in=episodes, pk__in=still_to_see(now))
        .select_related("episode__patient", "episode__clinic", "appointment__clinic")
        .prefetch_related(Prefetch("episode__evaluations", newest_first, to_attr="newest_first"))
    )
    rows = sorted((_list_row(i, now) for i in intakes), key=_order)
    return render(request, "records/intake/review_list.html", {"rows": rows})


def _intake_of(episode: Any) -> Intake:
    intake = Intake.objects.select_related("appointment__clinic", "reviewed_by__user").filter(
        episode=episode
    )
    found = intake.first()
    if found is None:
        raise Http404("This episode has no intake.")
    found.episode = episode
    return found


@require_safe
@staff_only(CHART_ROLES)
@not_while_handed_over
def review_detail(request: HttpRequest, episode_id: int) -> HttpResponse:
    intake = _intake_of(get_episode_for(request.user, episode_id))
    today = scoring.clinic_today(intake, timezone.now())
    case = care.parse_case(scoring.case_data(intake.answers, intake, today))
    scores = care.score_all(case)
    context = {
        "intake": intake,
        "row": _row(intake),
        **_screen_context(intake, today),
        "sections": readable.sections_of(intake, today),
        "triage": care.triage(case),
        "scores": scoring.score_rows(scores),
        "unscored": scoring.not_scored_reasons(scores),
        "stored_scores": intake.episode.scores.filter(source="intake"),
        "can_hand_over": may_write(request.user),
        "can_mark": staff_role(request.user) in CLINICAL_ROLES,
    }
    return render(request, "records/intake/review_detail.html", context)


def _screen_context(intake: Intake, today: dt.date) -> dict[str, Any]:
    """SCREEN-1 per domain, with what the latest evaluation asked in person."""
    evaluation = latest_evaluation(intake.episode)
    try:
        screen = screening.intake_screen(intake, today, evaluation)
    except care.CaseError as error:
        return {"screen_problem": f"{error.field}: {error.reason}"}
    return {
        "screen": screen,
        "screen_rows": screening.rows(screen),
        "screen_evaluation": evaluation if evaluation and evaluation.in_person else None,
    }


@require_POST
@staff_only(CLINICAL_ROLES, writes=True)  # "reviewed" means a clinician has read it
@not_while_handed_over
def review_mark(request: SignedInRequest, episode_id: int) -> HttpResponse:
    """Marks the intake reviewed, or (with "acknowledge") only acknowledges its alert."""
    intake = _intake_of(get_episode_for_rw(request.user, episode_id))
    write = services.acknowledge_alert if "acknowledge" in request.POST else services.mark_reviewed
    try:
        write(by=request.user, intake=intake, now=timezone.now())
    except services.NotReviewable as refused:
        messages.error(request, refused.message)
    return redirect("intake:review_detail", episode_id=episode_id)
