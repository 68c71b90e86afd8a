"""The therapist's review of intakes before the first visit."""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from unknot import care
from unknot.accounts.access import SignedInRequest, may_write, staff_only, staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import CHART_ROLES, CLINICAL_ROLES
from unknot.booking.models import Appointment
from unknot.records.clinical import screening
from unknot.records.clinical.selectors import latest_evaluation
from unknot.records.intake import readable, review_pages, scoring, screen_memory, services
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
    attention = review_pages.needs_attention(intake.emergency_at, intake.reviewed_at)
    return Row(intake, start, attention, screening_incomplete)


def _list_row(intake: Intake, now: dt.datetime) -> Row:
    # Prefetch(to_attr=) in the list's query: an attribute the model's type cannot know.
    latest = next(iter(intake.episode.newest_first), None)  # type: ignore[attr-defined]
    today = scoring.clinic_today(intake, now)
    return _row(intake, screen_memory.screening_incomplete(intake, latest, today))


# How long an intake stays on the list after its appointment (or, without one, its last change)
# once nothing on it is waiting for staff: the week's work, not the years behind it.
RECENT = dt.timedelta(days=7)


def still_to_see(now: dt.datetime) -> "QuerySet[Intake, int]":
    """The ids of the intakes the list shows: every alert nobody has acknowledged and every
    intake sent and not yet reviewed, however old (work for staff until someone closes it); the
    others (being filled in, or reviewed) while their appointment is at most RECENT ago or
    ahead. A union of four index reads: an OR of the four over the joined rows would read every
    intake of the practice's history."""
    since = now - RECENT
    ids = Intake.objects.values_list("pk", flat=True).order_by()
    alerts = ids.filter(emergency_at__isnull=False, reviewed_at__isnull=True)
    sent = ids.filter(status=IntakeStatus.SUBMITTED)
    around_a_visit = ids.filter(appointment__start__gte=since)
    unbooked = ids.filter(appointment__isnull=True, updated_at__gte=since)
    return alerts.union(sent, around_a_visit, unbooked)


def listed_keys(user: AnyUser, now: dt.datetime) -> list[review_pages.SortKeys]:
    """The sort keys of the intakes still to see (`still_to_see`) of the open episodes the user
    may see, in one statement. The union inside it tells the database how few rows there are, so
    it looks each one's episode and appointment up by primary key; given those ids as a list, it
    hashed every open episode and every appointment of the practice instead. The appointment's
    start is a subquery for the same reason."""
    start = Appointment.objects.filter(pk=OuterRef("appointment_id")).order_by().values("start")
    episodes = episodes_visible_to(user).filter(status=EpisodeStatus.OPEN)
    rows = (
        Intake.objects.filter(pk__in=still_to_see(now), episode__in=episodes)
        .annotate(start=Subquery(start[:1]))
        .values_list(*review_pages.KEY_FIELDS)
    )
    return [review_pages.SortKeys(*row) for row in rows]


# What a row of the list shows and its screen reads, and nothing else: a page of intakes read
# whole (every column of six tables, each JSON field decoded) cost more than its screens.
ROW_FIELDS = (
    *("episode_id", "appointment_id", "answers", "status", "emergency_at", "reviewed_at"),
    *("episode__patient_id", "episode__clinic_id", "episode__clinic__name"),
    *("episode__clinic__time_zone", "episode__patient__first_name"),
    *("episode__patient__last_name", "episode__patient__date_of_birth"),
    *("appointment__start", "appointment__clinic_id", "appointment__clinic__time_zone"),
)
SCREEN_FIELDS = ("episode_id", "performed_on", "in_person", "exam")


def _page_rows(ids: list[int]) -> QuerySet[Intake]:
    """The page's intakes (of visible open episodes: `listed_keys` chose them), with the
    evaluations in one query for the page: the screen of each row reads its episode's latest."""
    newest_first = Evaluation.objects.only(*SCREEN_FIELDS).order_by("-performed_on", "-pk")
    return (
        Intake.objects.filter(pk__in=ids)
        .select_related("episode__patient", "episode__clinic", "appointment__clinic")
        .only(*ROW_FIELDS)
        .prefetch_related(Prefetch("episode__evaluations", newest_first, to_attr="newest_first"))
    )


@require_safe
@staff_only(CHART_ROLES)
@not_while_handed_over
def review_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    keys = listed_keys(request.user, now)
    page = review_pages.page_of(keys, request.GET.get("cursor"))
    by_id = {intake.pk: intake for intake in _page_rows(page.ids)}
    rows = [_list_row(by_id[pk], now) for pk in page.ids if pk in by_id]
    return render(request, "records/intake/review_list.html", {"rows": rows, "page": page})


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
