"""The person's own pages under /home-programme/: home programme, session log, progress, lessons,
discharge summary. Every page starts from the signed-in person's own episode."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.audit import services as audit
from unknot.audit.models import Action
from unknot.documents import pdf
from unknot.plans.home import charts, diagrams, reports, selectors, services
from unknot.plans.home import progress as progress_words
from unknot.plans.home.forms import ExerciseLogForm
from unknot.plans.models import ExerciseLog
from unknot.records import goals
from unknot.records.models import Episode, EpisodeStatus
from unknot.records.selectors import episodes_visible_to

RECENT_LOGS = 5


def _own_programme(request: HttpRequest) -> tuple[Episode | None, Any, list[Any]]:
    """The person's episode, signed plan and home exercises. While a referral waits for the
    medical clearance (SCREEN-2) the exercises are paused: no treatment but education."""
    episode = selectors.patient_episode(request.user)
    plan = selectors.signed_plan(episode) if episode else None
    if episode is not None and selectors.programme_paused(episode):
        return episode, plan, []
    return episode, plan, selectors.programme(plan)


@require_safe
@patient_only
def home(request: HttpRequest) -> HttpResponse:
    episode, plan, items = _own_programme(request)
    context = {"episode": episode, "plan": plan, "items": items}
    if episode is not None:
        paused = selectors.programme_paused(episode)
        context["paused"] = paused
        context["logs"] = ExerciseLog.objects.filter(episode=episode)[:RECENT_LOGS]
        context["comments"] = selectors.recent_comments(episode)
        context["per_week"] = selectors.sessions_per_week(items)
        context["can_log"] = (
            plan is not None and episode.status == EpisodeStatus.OPEN and (not paused)
        )
    return render(request, "plans/home.html", context)


@require_safe
@patient_only
def handout_pdf(request: HttpRequest) -> HttpResponse:
    episode, plan, items = _own_programme(request)
    if episode is None or plan is None or not items:
        raise Http404("No home programme to print at the moment.")
    return handout_response(episode, items)


def handout_response(episode: Episode, items: list[Any]) -> HttpResponse:
    """The printable handout, for the person or printed by staff for them."""
    pictures = [(item, diagrams.diagram_uri(item.key)) for item in items]
    context = {
        "patient": episode.patient,
        "episode": episode,
        "pictures": pictures,
        "per_week": selectors.sessions_per_week(items),
        "printed_on": selectors.clinic_today(episode),
    }
    audit.exported(Action.PRINT, episode, "handout")
    content = pdf.render_pdf("plans/pdf/handout.html", context)
    return pdf.pdf_response(content, f"home-programme-{episode.patient.last_name}")


@require_http_methods(["GET", "POST"])
@patient_only
def log_session(request: SignedInRequest) -> HttpResponse:
    episode, plan, items = _own_programme(request)
    open_plan = episode is not None and plan is not None and episode.status == EpisodeStatus.OPEN
    open_plan = open_plan and bool(items)  # nothing to log while the exercises are paused
    if not open_plan:
        if request.method == "POST":
            raise PermissionDenied("There is no current home programme to log a session for.")
        return render(request, "plans/log.html", {"form": None})
    assert episode is not None
    form = ExerciseLogForm(request.POST or None, today=selectors.clinic_today(episode))
    if request.method == "POST" and form.is_valid():
        services.log_session(by=request.user, episode=episode, **form.cleaned_data)
        messages.success(request, "Your session is saved. Thank you!")
        return redirect("home_programme:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/log.html", {"form": form}, status=status)


@require_safe
@patient_only
def progress(request: HttpRequest) -> HttpResponse:
    episode, plan, items = _own_programme(request)
    context: dict[str, Any] = {"episode": episode}
    if episode is not None:
        outcomes = selectors.episode_outcomes(episode)
        weeks, totals = selectors.weeks(episode, plan, items)
        context |= {
            "outcomes": [(o, charts.outcome_chart(o, f"chart-{o.measure.key}")) for o in outcomes],
            "measured": any(o.points for o in outcomes),
            "this_week": weeks[0] if weeks and plan else None,
            "totals": totals if plan else None,
            "session_pain": progress_words.session_pain_words(totals.mean_pain_change)
            if totals
            else "",
            "comments": selectors.recent_comments(episode),
            "goals": _goals(request, episode),
        }
    return render(request, "plans/progress.html", context)


def _goals(request: HttpRequest, episode: Episode) -> list[tuple[Any, Any, Any]]:
    """Each of the person's goals with its ratings as a chart (and the change since the first)."""
    shown = []
    for n, goal in enumerate(goals.read_goals(request.user, episode), start=1):
        outcome = progress_words.goal_outcome(goal.words, goal.points)
        shown.append((goal, outcome, charts.outcome_chart(outcome, f"chart-goal-{n}")))
    return shown


@require_safe
@patient_only
def learn_list(request: HttpRequest) -> HttpResponse:
    episode = selectors.patient_episode(request.user)
    lessons = selectors.lessons(episode) if episode else []
    return render(request, "plans/learn_list.html", {"lessons": lessons})


@require_safe
@patient_only
def learn_topic(request: SignedInRequest, topic: str) -> HttpResponse:
    episode = selectors.patient_episode(request.user)
    lesson = selectors.lesson_for(episode, topic) if episode else None
    if episode is None or lesson is None:
        raise Http404("No such lesson in your plan.")
    # Opening the lesson is what "read" means here; the first opening is kept.
    services.mark_lesson_read(by=request.user, episode=episode, topic_key=topic)
    return render(request, "plans/learn_topic.html", {"lesson": lesson, "topic": lesson.topic})


def _discharged_episode(request: HttpRequest) -> Episode | None:
    episodes = episodes_visible_to(request.user).filter(status=EpisodeStatus.DISCHARGED)
    episode = episodes.order_by("-discharged_at", "-pk").first()
    audit.access(request.user, "episode", None, episode)
    return episode


@require_safe
@patient_only
def discharge(request: HttpRequest) -> HttpResponse:
    episode = _discharged_episode(request)
    context = reports.context(reports.build(episode)) if episode else {"report": None}
    return render(request, "plans/discharge_patient.html", context)


@require_safe
@patient_only
def discharge_pdf(request: HttpRequest) -> HttpResponse:
    episode = _discharged_episode(request)
    if episode is None:
        raise Http404("Your discharge summary appears here when your care ends.")
    return document_response(episode, "discharge")


def document_response(episode: Episode, kind: str) -> HttpResponse:
    """The progress report or the discharge summary as a PDF."""
    context = reports.context(reports.build(episode), as_data_uri=True, kind=kind)
    audit.exported(Action.EXPORT, episode, kind.replace("-", "_"))
    content = pdf.render_pdf("plans/pdf/report.html", context)
    return pdf.pdf_response(content, f"{kind}-{episode.patient.last_name}-{episode.pk}")
