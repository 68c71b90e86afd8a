"""Visit notes: the new-visit form (prefilled from the plan and the last visit), the note,
editing it until it is signed, and accepting a progression suggestion."""

import functools
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import CHART_ROLES, CLINICAL_ROLES
from unknot.care import exercise_library
from unknot.care.labels import (
    CHANGE_LABELS,
    INTERVENTION_LABELS,
    MEASURE_LABELS,
    PHASE_LABELS,
    label,
)
from unknot.common.errors import attempt
from unknot.plans import certification
from unknot.plans import elements as el
from unknot.plans import forms as f
from unknot.plans import progression as prog
from unknot.plans import selectors as sel
from unknot.plans import visits as vs
from unknot.plans.models import UncertifiedSignature
from unknot.records import goals
from unknot.records.clinical import holds, mapping
from unknot.records.clinical.evaluation import default_day
from unknot.records.clinical.pages import can_write, posted
from unknot.records.clinical.selectors import baseline, intake_of
from unknot.records.models import Episode, Visit
from unknot.records.selectors import get_episode_for_rw

WRITE = staff_only(CLINICAL_ROLES, writes=True)


def _planned(episode: Episode, plan: Any, last: Visit | None) -> list[dict[str, Any]]:
    """The current phase's clinic interventions, with the minutes given last time."""
    before = {i.intervention: i.minutes for i in (last.interventions.all() if last else ())}
    seen: dict[str, dict[str, Any]] = {}
    for e in el.active(plan.elements):
        key = e.get("intervention")
        if e.get("phase") == plan.current_phase and key and e.get("cpt") and key not in seen:
            seen[key] = {"intervention": key, "minutes": before.get(key), "notes": e.get("dose")}
    return list(seen.values())


def _initial(episode: Episode, plan: Any, appointment: Any) -> dict[str, Any]:
    last = sel.visits_of(episode).order_by("-number").first()
    day = default_day(episode, appointment.start if appointment else timezone.now())
    goals = mapping.tri_state_initial(prog.goals_default(episode))
    form = {"performed_on": day, "plan_text": last.plan_text if last else ""}
    return {
        "form": form | {"goals_need_loading": goals},
        "interventions": _planned(episode, plan, last),
        "last": last,
    }


def _psfs_initial(episode: Episode) -> dict[str, Any]:
    """The person's goals in their own words (records.goals), to be scored again; for an
    episode from before the goals, the activities chosen at the baseline."""
    words = goals.words_to_rate(episode) or [
        i["activity"] for i in baseline(episode, intake_of(episode)).psfs_items
    ]
    return {f"psfs_activity_{n}": text for n, text in enumerate(words, start=1)}


def _input(form: f.VisitForm, rows: Any, again: Any, appointment: Any) -> vs.VisitInput:
    data = form.cleaned_data
    return vs.VisitInput(
        performed_on=data["performed_on"], nprs=data["nprs"], positive_flags=form.flags(),
        subjective=data["subjective"], objective=data["objective"],
        assessment=data["assessment"], plan_text=data["plan_text"],
        symptom_course=data["symptom_course"] or None, flare_24h=f.tri(data["flare_24h"]),
        goals_need_loading=f.tri(data["goals_need_loading"]),
        delivered=[d for d in (r.delivered() for r in rows.forms) if d is not None],
        reassessment=again.answers() if again else {}, appointment=appointment,
        includes_progress_report=data["includes_progress_report"],
    )  # fmt: skip


def _appointment_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("appointment", "")
    return int(raw) if raw.isdigit() else None


def open_holds_view(episode: Episode) -> list[dict[str, Any]]:
    """The referral still waiting for clearance, shown above the form: what the visit may do."""
    hold = holds.open_hold(episode)
    return [holds.summary(hold)] if hold else []


@require_http_methods(["GET", "POST"])
@WRITE
def visit_new(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_rw(request.user, episode_id)
    plan = sel.signed_plan(episode)
    if plan is None:
        return render(request, "plans/clinical/visit_no_plan.html", {"episode": episode})
    appointment = sel.appointment_for_visit(episode, _appointment_id(request))
    start = _initial(episode, plan, appointment)
    number = (sel.visits_of(episode).count()) + 1
    due = vs.is_reassessment(number)
    post = posted(request)
    form = f.VisitForm(post, initial=start["form"])
    rows = f.InterventionFormSet(post, initial=start["interventions"], prefix="iv")
    again = f.ReassessmentForm(post, initial=_psfs_initial(episode), prefix="re") if due else None
    if request.method == "POST" and all(x.is_valid() for x in (form, rows, again) if x):
        data = _input(form, rows, again, appointment)
        visit = attempt(
            request, lambda: vs.visit_record(by=request.user, episode=episode, data=data), form=form
        )
        if visit is not None:
            return redirect("clinical:visit", visit_id=visit.pk)
    context = {"episode": episode, "plan": plan, "form": form, "rows": rows, "again": again,
               "number": number, "last": start["last"], "appointment": appointment,
               "every": vs.reassess_every(), "holds": open_holds_view(episode),
               "can_write": can_write(request.user),
               "phase": label(PHASE_LABELS, plan.current_phase)}  # fmt: skip
    return render(request, "plans/clinical/visit_form.html", context)


_YES_NO: dict[Any, str] = {True: "yes", False: "no"}


def _yes_no(value: Any) -> str:
    return _YES_NO.get(value, "not enough recorded")


def _accepted(accepted: dict[str, Any] | None) -> dict[str, Any] | None:
    if not accepted:
        return None
    names = {e.id: e.name for e in exercise_library()}
    programme = [names.get(k, k) for k in accepted.get("home_programme", ())]
    return accepted | {"from_label": label(PHASE_LABELS, accepted.get("from")),
                       "to_label": label(PHASE_LABELS, accepted.get("to")),
                       "day": str(accepted.get("at", ""))[:10], "programme": programme}  # fmt: skip


def _progression(visit: Visit, plan: Any, writer: bool) -> dict[str, Any]:
    """The stored check in words: phases by their labels, each criterion met / not met /
    unknown, the inputs the record gave it, and whether this note's step may be accepted."""
    progression = visit.progression
    suggestion = progression.get("suggestion") or {}
    step = prog.step(progression)
    inputs = progression.get("inputs") or {}
    return {
        "suggestion": suggestion, "step": step,
        "phase_label": label(PHASE_LABELS, step.phase if step else progression.get("phase")),
        "ready": _yes_no(step.ready if step else None),
        "load_more": _yes_no(suggestion.get("ready_to_load_more")),
        "criteria": prog.criteria(suggestion), "loads": progression.get("loads"),
        "weeks": inputs.get("weeks_tolerated"),
        "goals": _YES_NO.get(inputs.get("goals_need_loading"), "not recorded"),
        "accepted": _accepted(progression.get("accepted")),
        "can_accept": writer and prog.refusal(progression, plan) is None
        and plan.current_phase == (step.phase if step else None),
    }  # fmt: skip


def _changes(visit: Visit) -> list[dict[str, Any]]:
    return [c | {"measure_label": label(MEASURE_LABELS, c.get("measure")),
                 "verdict_label": label(CHANGE_LABELS, c.get("verdict"))}
            for c in visit.progression.get("change", ())]  # fmt: skip


@require_safe
@staff_only(CHART_ROLES)
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = sel.get_visit_for(request.user, visit_id)
    interventions = list(visit.interventions.order_by("pk"))
    plan = sel.signed_plan(visit.episode)
    writer = can_write(request.user) and not visit.signed_at
    emergency = visit.triage.get("tier") == vs.EMERGENCY
    context = {
        "visit": visit, "episode": visit.episode, "units": sum(i.units for i in interventions),
        "interventions": [(i, label(INTERVENTION_LABELS, i.intervention)) for i in interventions],
        "emergency": emergency, "changes": _changes(visit), "can_write": writer,
        "uncertified": UncertifiedSignature.objects.filter(visit=visit).first(),
        "missing_certification": None if emergency or visit.signed_at
        else certification.missing_certification(visit.episode, visit.performed_on),
        "sign_form": f.VisitSignForm(),
    } | _progression(visit, plan, writer)  # fmt: skip
    return render(request, "plans/clinical/visit.html", context)


@require_http_methods(["GET", "POST"])
@WRITE
def visit_edit(request: SignedInRequest, visit_id: int) -> HttpResponse:
    visit = sel.get_visit_for_rw(request.user, visit_id)
    if visit.signed_at:
        messages.info(request, "This note is signed: it can no longer be changed.")
        return redirect("clinical:visit", visit_id=visit.pk)
    fields = ("subjective", "objective", "assessment", "plan_text", "includes_progress_report")
    form = f.NoteForm(posted(request), initial={n: getattr(visit, n) for n in fields})
    if visit.triage.get("tier") == vs.EMERGENCY:  # an emergency stop reports on no treatment
        del form.fields["includes_progress_report"]
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            lambda: vs.visit_update_note(by=request.user, visit=visit, fields=form.cleaned_data),
        )
        return redirect("clinical:visit", visit_id=visit.pk)
    return render(request, "plans/clinical/visit_edit.html", {"visit": visit, "form": form})


def _post_action(request: HttpRequest, visit_id: int, action: Any, done: Any) -> HttpResponse:
    """Runs a write on the note; `done` is the message, or makes it from the written note."""
    visit = sel.get_visit_for_rw(request.user, visit_id)
    written = attempt(request, lambda: action(by=request.user, visit=visit, now=timezone.now()))
    if written is not None:
        messages.success(request, done(written) if callable(done) else done)
    return redirect("clinical:visit", visit_id=visit.pk)


@require_POST
@WRITE
def visit_sign(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Signs the note; past a missing certification, with the therapist's reason."""
    form = f.VisitSignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the reason under 1,000 characters.")
        return redirect("clinical:visit", visit_id=visit_id)
    reason = form.cleaned_data["reason"]
    sign = functools.partial(vs.visit_sign, reason=reason)
    return _post_action(request, visit_id, sign, "The note is signed and locked.")


@require_POST
@WRITE
def visit_accept(request: HttpRequest, visit_id: int) -> HttpResponse:
    return _post_action(request, visit_id, vs.visit_accept_progression,
                        lambda visit: prog.accepted_message(visit.progression))  # fmt: skip
