"""Staff pages of an episode under /home-programme/episodes/<id>/: adherence (and comments),
progress, progress report, discharge summary and discharge, printable handout.

Progress, adherence and reports are clinical: therapists and managers, and auditors to read.
The front desk may print the home-programme handout for a person, nothing else here.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only, staff_role
from unknot.accounts.roles import CHART_ROLES, CLINICAL_ROLES, Role
from unknot.booking.cancel_together import VisitLine, visit_line
from unknot.plans.home import charts, reports, selectors, services
from unknot.plans.home.forms import AdherenceCommentForm, DischargeForm
from unknot.plans.home.views_patient import document_response, handout_response
from unknot.records.models import Episode, EpisodeStatus
from unknot.records.selectors import get_episode_for

CLINICAL_READERS = CLINICAL_ROLES | {Role.AUDITOR}


def _may_write(request: HttpRequest) -> bool:
    return staff_role(request.user) in CLINICAL_ROLES and may_write(request.user)


@require_safe
@staff_only(CHART_ROLES)
def handout_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    plan = selectors.signed_plan(episode)
    if plan is None:
        raise Http404("This episode has no signed plan yet.")
    return handout_response(episode, selectors.programme(plan))


def _adherence_page(
    request: HttpRequest,
    episode: Episode,
    form: AdherenceCommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = selectors.signed_plan(episode)
    items = selectors.programme(plan)
    weeks, totals = selectors.weeks(episode, plan, items)
    comments = selectors.comments_by_week(episode)
    rows = [(week, comments.get(week.start, [])) for week in weeks]
    context = {
        "episode": episode,
        "plan": plan,
        "rows": rows,
        "weeks": weeks,
        "totals": totals,
        "per_week": selectors.sessions_per_week(items),
        "chart": charts.adherence_chart(list(reversed(weeks))),
        "may_write": _may_write(request),
        "form": form,
    }
    return render(request, "plans/staff/adherence.html", context, status=status)


@require_safe
@staff_only(CLINICAL_READERS, break_glass=True)
def adherence(request: HttpRequest, episode_id: int) -> HttpResponse:
    return _adherence_page(request, get_episode_for(request.user, episode_id))


@require_POST
@staff_only(CLINICAL_ROLES, writes=True)
def adherence_comment(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    form = AdherenceCommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_week(by=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your comment is saved; the person sees it in their portal.")
            return redirect("home_programme:episode_adherence", episode_id=episode.pk)
    return _adherence_page(request, episode, form, status=400)


@require_safe
@staff_only(CLINICAL_READERS, break_glass=True)
def progress(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    plan = selectors.signed_plan(episode)
    items = selectors.programme(plan)
    outcomes = selectors.episode_outcomes(episode)
    weeks, totals = selectors.weeks(episode, plan, items)
    context = {
        "episode": episode,
        "outcomes": [(o, charts.outcome_chart(o, f"chart-{o.measure.key}")) for o in outcomes],
        "adherence_chart": charts.adherence_chart(list(reversed(weeks))),
        "weeks": weeks,
        "totals": totals,
        "per_week": selectors.sessions_per_week(items),
    }
    return render(request, "plans/staff/progress.html", context)


def _report_context(request: HttpRequest, episode: Episode, **extra: Any) -> dict[str, Any]:
    return reports.context(reports.build(episode), may_write=_may_write(request), **extra)


@require_safe
@staff_only(CLINICAL_READERS, break_glass=True)
def report(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    return render(request, "plans/staff/report.html", _report_context(request, episode))


@require_safe
@staff_only(CLINICAL_READERS)
def report_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
    return document_response(get_episode_for(request.user, episode_id), "progress-report")


def _visit_rows(
    request: HttpRequest, episode: Episode, form: DischargeForm
) -> list[tuple[VisitLine, bool]]:
    """The visits still to come, each with its "Keep this visit" box: unticked, unless the
    therapist ticked it before a refusal (their choices stay)."""
    if episode.status != EpisodeStatus.OPEN or not _may_write(request):
        return []
    kept = set(getattr(form, "cleaned_data", {}).get("keep") or ())
    visits = selectors.future_visits(episode, timezone.now())
    return [(visit_line(visit), visit.pk in kept) for visit in visits]


def _discharge_page(
    request: HttpRequest, episode: Episode, form: DischargeForm, status: int = 200
) -> HttpResponse:
    visits = _visit_rows(request, episode, form)
    context = _report_context(request, episode, form=form, visits=visits)
    return render(request, "plans/staff/discharge.html", context, status=status)


@require_safe
@staff_only(CLINICAL_READERS, break_glass=True)
def discharge(request: HttpRequest, episode_id: int) -> HttpResponse:
    return _discharge_page(request, get_episode_for(request.user, episode_id), DischargeForm())


@require_safe
@staff_only(CLINICAL_READERS)
def discharge_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
    return document_response(get_episode_for(request.user, episode_id), "discharge")


def _already_discharged(request: HttpRequest, episode: Episode) -> HttpResponse:
    messages.info(request, "This episode was already discharged; nothing changed.")
    return redirect("home_programme:episode_discharge", episode_id=episode.pk)


def _visits(count: int, verb: str) -> str:
    """'1 visit is' / '2 visits are' (verb given in the plural)."""
    singular = {"are": "is", "stay": "stays"}[verb]
    return f"1 visit {singular}" if count == 1 else f"{count} visits {verb}"


def _discharged_message(done: services.Discharged) -> str:
    patient = done.episode.patient
    said = [f"{patient.full_name} is discharged."]
    if done.cancelled:
        said.append(f"{_visits(len(done.cancelled), 'are')} cancelled.")
        said.append(
            f"{patient.first_name} gets one email listing them."
            if patient.email
            else f"{patient.first_name} has no email address on file: please tell them."
        )
    if done.kept:
        said.append(f"{_visits(len(done.kept), 'stay')} booked, as you chose.")
    return " ".join(said)


@require_POST
@staff_only(CLINICAL_ROLES, writes=True)
def discharge_confirm(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    if episode.status == EpisodeStatus.DISCHARGED:
        return _already_discharged(request, episode)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        return _discharge_page(request, episode, form, status=400)
    choice = form.cleaned_data
    try:
        done = services.discharge(
            by=request.user, episode=episode, keep=choice["keep"], shown=choice["shown"]
        )
    except ValidationError as refused:
        if refused.code == "already_discharged":  # a second click that lost the race
            return _already_discharged(request, episode)
        form.add_error(None, refused)
        return _discharge_page(request, episode, form, status=400)
    messages.success(request, _discharged_message(done))
    return redirect("home_programme:episode_discharge", episode_id=episode.pk)
