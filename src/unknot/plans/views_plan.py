"""Plan of care pages: the proposal with its reasons, edits to a draft, goals, signing.

Every write is a POST to a small view that calls one service and goes back to the plan page;
a refusal (`Refused`, through `attempt`) comes back as a message, and nothing has changed.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import CHART_ROLES, CLINICAL_ROLES
from unknot.booking import authorisation_warnings as warned
from unknot.booking.errors import SeriesConflicts
from unknot.care.plan_model import Plan
from unknot.common.errors import Refused, attempt
from unknot.plans import elements as el
from unknot.plans import forms as f
from unknot.plans import selectors as sel
from unknot.plans import services
from unknot.plans.models import PlanOfCare, PlanStatus
from unknot.plans.views_certification import certifications_view
from unknot.records.clinical.pages import can_write, posted
from unknot.records.clinical.selectors import baseline, intake_of
from unknot.records.selectors import get_episode_for_rw

WRITE = staff_only(CLINICAL_ROLES, writes=True)


def back(plan: PlanOfCare) -> HttpResponse:
    return redirect("clinical:plan", plan_id=plan.pk)


def phases_view(plan: PlanOfCare, core: Plan | None) -> list[dict[str, Any]]:
    """The plan's phases with their active elements, in the core's order, for the template."""
    core_phases = {p.key: p for p in core.phases} if core is not None else {}
    out = []
    for key in services.PHASES:
        phase = core_phases.get(key)
        out.append({
            "key": key, "title": phase.title if phase else key.replace("_", " "),
            "goal": phase.goal if phase else "",
            "move_on_when": phase.move_on_when if phase else (),
            "current": key == plan.current_phase,
            "elements": [e for e in el.active(plan.elements) if e.get("phase") == key],
        })  # fmt: skip
    return out


def plan_context(request: HttpRequest, plan: PlanOfCare, **extra: Any) -> dict[str, Any]:
    editable = plan.status == PlanStatus.DRAFT and can_write(request.user)
    proposal = plan.proposal
    core = plan.core_plan()  # parsed once for the page; the template reads its attributes
    return {
        "plan": plan,
        "episode": plan.episode,
        "proposal": proposal,
        "core_plan": core,
        "triage": proposal.get("triage", {}),
        "safety": proposal.get("safety", ()),
        "phases": phases_view(plan, core),
        "removed": [e for e in plan.elements if e.get("removed")],
        "overrides": [e for e in plan.elements if e.get("override")],
        "goals": list(plan.goals.all()),
        "versions": list(plan.episode.plans.order_by("-version")),
        "editable": editable,
        "can_write": can_write(request.user),
        "add_form": f.ElementAddForm(),
        "home": list(plan.home_exercises.all()),
        "education": list(plan.education.all()),
    } | extra


@require_safe
@staff_only(CHART_ROLES)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_plan_for(request.user, plan_id)
    extra = certifications_view(plan, timezone.now()) if plan.status != PlanStatus.DRAFT else {}
    return render(request, "plans/clinical/plan.html", plan_context(request, plan, **extra))


@require_POST
@WRITE
def plan_propose(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_rw(request.user, episode_id)
    plan = attempt(request, lambda: services.plan_propose(by=request.user, episode=episode),
                   "The care core's proposal is in the draft.")  # fmt: skip
    return back(plan) if plan else redirect("clinical:episode", episode_id=episode.pk)


@require_POST
@WRITE
def plan_revise(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    draft = attempt(request, lambda: services.plan_revise(by=request.user, plan=plan),
                    "A new draft version was started from the signed plan.")  # fmt: skip
    return back(draft or plan)


@require_POST
@WRITE
def element_add(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    form = f.ElementAddForm(request.POST)
    if not form.is_valid():
        context = plan_context(request, plan, add_form=form)
        return render(request, "plans/clinical/plan.html", context, status=400)
    new = services.NewElement(**form.cleaned_data)
    attempt(request, lambda: services.element_add(by=request.user, plan=plan, new=new,
                                                  now=timezone.now()), "Added.")  # fmt: skip
    return back(plan)


@require_POST
@WRITE
def element_remove(request: SignedInRequest, plan_id: int, key: str) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    attempt(request, lambda: services.element_remove(by=request.user, plan=plan, key=key,
                                                     now=timezone.now()), "Removed.")  # fmt: skip
    return back(plan)


@require_POST
@WRITE
def element_dose(request: SignedInRequest, plan_id: int, key: str) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    form = f.DoseForm(request.POST)
    if form.is_valid():
        dose = form.cleaned_data["dose"]
        attempt(request, lambda: services.element_dose(by=request.user, plan=plan, key=key,
                                                       dose=dose), "Dose saved.")  # fmt: skip
    return back(plan)


@require_POST
@WRITE
def element_override(request: SignedInRequest, plan_id: int, key: str) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    form = f.OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write why the precaution does not apply: the reason is kept.")
        return back(plan)
    reason = form.cleaned_data["reason"]
    attempt(request, lambda: services.element_override(
        by=request.user, plan=plan, key=key, reason=reason, now=timezone.now()),
        "The precaution was overridden; your reason is kept in the plan.")  # fmt: skip
    return back(plan)


def _goal_initial(plan: PlanOfCare) -> list[dict[str, Any]]:
    goals = list(plan.goals.all())
    if goals:
        return [{"term": g.term, "instrument": g.instrument, "comparison": g.comparison,
                 "target": g.target, "weeks": g.weeks} for g in goals]  # fmt: skip
    suggested = services.suggested_goals(plan.episode, plan.duration_weeks)
    return [vars(g) for g in suggested]


@require_http_methods(["GET", "POST"])
@WRITE
def plan_goals(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    if plan.status != PlanStatus.DRAFT:
        messages.info(request, "A signed plan is not edited: start a new version.")
        return back(plan)
    schedule = f.ScheduleForm(
        posted(request),
        initial={
            "frequency_per_week": plan.frequency_per_week,
            "duration_weeks": plan.duration_weeks,
        },
    )
    goals = f.GoalFormSet(posted(request), initial=_goal_initial(plan), prefix="goal")
    if request.method == "POST" and schedule.is_valid() and goals.is_valid():
        specs = [s for s in (g.spec() for g in goals.forms) if s is not None]
        done = attempt(
            request,
            lambda: services.plan_set_goals(
                by=request.user,
                plan=plan,
                frequency=schedule.cleaned_data["frequency_per_week"],
                weeks=schedule.cleaned_data["duration_weeks"],
                goals=specs,
            ),
            "Goals saved.",
        )
        if done:
            return back(plan)
    context = {"plan": plan, "episode": plan.episode, "schedule": schedule, "goals": goals,
               "baseline": baseline(plan.episode, intake_of(plan.episode))}  # fmt: skip
    return render(request, "plans/clinical/plan_goals.html", context)


def _sign(request: SignedInRequest, plan: PlanOfCare, form: f.SignForm) -> tuple[Any, list[Any]]:
    """(booked visits or None when refused, conflicts to show)."""
    data = form.cleaned_data
    series = None
    if data.get("agrees"):
        series = services.SeriesRequest(data["appointment_type"], data["therapist"],
                                         data["pattern"])  # fmt: skip
    try:
        booked = services.plan_sign(by=request.user, plan=plan, now=timezone.now(),
                                    series=series)  # fmt: skip
    except SeriesConflicts as refused:
        form.add_error(None, f"{refused.message} The plan was not signed.")
        return None, refused.conflicts
    except Refused as refused:
        form.add_error(None, f"{refused.message} The plan was not signed.")
        return None, []
    return booked, []


def _outside(plan: PlanOfCare, form: f.SignForm) -> warned.Outside:
    """The agreed visits that fall outside the insurer's authorization, before signing."""
    data = form.cleaned_data
    if not data.get("agrees"):
        return []
    episode = plan.episode
    return warned.series_outside(
        episode.clinic, episode.patient, data["pattern"], data["appointment_type"]
    )


@require_http_methods(["GET", "POST"])
@WRITE
def plan_sign(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    if plan.status != PlanStatus.DRAFT:
        messages.info(request, "This version is already signed.")
        return back(plan)
    episode = plan.episode
    initial = {"therapist": episode.therapist_id, "weeks": plan.duration_weeks}
    form = f.SignForm(posted(request), clinic=episode.clinic, initial=initial,
                      frequency=plan.frequency_per_week, weeks=plan.duration_weeks)  # fmt: skip
    conflicts: list[Any] = []
    outside: warned.Outside = []
    if request.method == "POST" and form.is_valid():
        outside = _outside(plan, form)
    if request.method == "POST" and form.is_valid() and warned.confirmed(form, outside):
        booked, conflicts = _sign(request, plan, form)
        if booked is not None:
            booked_text = f" {len(booked)} visits were booked." if booked else ""
            messages.success(request, f"Plan v{plan.version} is signed.{booked_text}")
            if outside:
                messages.warning(request, warned.series_message(episode.clinic, outside))
            return back(plan)
    context = {"plan": plan, "episode": episode, "form": form, "conflicts": conflicts,
               "goals": list(plan.goals.all()), "clinic": episode.clinic,
               "authorisation_warnings": [] if form.errors
               else warned.series_lines(episode.clinic, outside),
               "authorisation_lead": warned.series_lead(len(outside))}  # fmt: skip
    return render(request, "plans/clinical/plan_sign.html", context)
