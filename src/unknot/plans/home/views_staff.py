"""Staff pages of an episode under /care/episodes/<id>/: adherence (and comments), progress,
progress report, discharge summary and discharge, printable handout.

Progress, adherence and reports are clinical: therapists and managers, and auditors to read.
The front desk may print the home-programme handout for a person, nothing else here.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from unknot.accounts.access import is_read_only, staff_only, staff_role
from unknot.accounts.roles import CLINICAL_ROLES, Role
from unknot.plans.home import charts, reports, selectors, services
from unknot.plans.home.forms import AdherenceCommentForm, DischargeForm
from unknot.plans.home.views_patient import document_response, handout_response
from unknot.records.models import Episode, EpisodeStatus
from unknot.records.selectors import get_episode_for

CLINICAL_READERS = CLINICAL_ROLES | {Role.AUDITOR}


def _may_write(request: HttpRequest) -> bool:
    return staff_role(request.user) in CLINICAL_ROLES and not is_read_only(request.user)


@require_safe
@staff_only()
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
@staff_only(CLINICAL_READERS)
def adherence(request: HttpRequest, episode_id: int) -> HttpResponse:
    return _adherence_page(request, get_episode_for(request.user, episode_id))


@require_POST
@staff_only(CLINICAL_ROLES, writes=True)
def adherence_comment(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    form = AdherenceCommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_week(by=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your comment is saved; the person sees it in their portal.")
            return redirect("care:episode_adherence", episode_id=episode.pk)
    return _adherence_page(request, episode, form, status=400)


@require_safe
@staff_only(CLINICAL_READERS)
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
@staff_only(CLINICAL_READERS)
def report(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    return render(request, "plans/staff/report.html", _report_context(request, episode))


@require_safe
@staff_only(CLINICAL_READERS)
def report_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
    return document_response(get_episode_for(request.user, episode_id), "progress-report")


@require_safe
@staff_only(CLINICAL_READERS)
def discharge(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    context = _report_context(request, episode, form=DischargeForm())
    return render(request, "plans/staff/discharge.html", context)


@require_safe
@staff_only(CLINICAL_READERS)
def discharge_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
    return document_response(get_episode_for(request.user, episode_id), "discharge")


@require_POST
@staff_only(CLINICAL_ROLES, writes=True)
def discharge_confirm(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    form = DischargeForm(request.POST)
    if episode.status == EpisodeStatus.DISCHARGED:
        messages.info(request, "This episode was already discharged; nothing changed.")
        return redirect("care:episode_discharge", episode_id=episode.pk)
    if not form.is_valid():
        context = _report_context(request, episode, form=form)
        return render(request, "plans/staff/discharge.html", context, status=400)
    try:
        services.discharge(by=request.user, episode=episode)
    except ValidationError:
        messages.info(request, "This episode was already discharged; nothing changed.")
    else:
        messages.success(request, f"{episode.patient.full_name} is discharged.")
    return redirect("care:episode_discharge", episode_id=episode.pk)
