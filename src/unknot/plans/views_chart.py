"""The episode chart, a therapist's caseload and a patient's episodes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot.accounts.access import SignedInRequest, staff_only, staff_role
from unknot.accounts.roles import CHART_ROLES, Role
from unknot.booking.safety_calls import safety_calls_of_episode
from unknot.patients.selectors import get_patient_for
from unknot.plans import selectors as sel
from unknot.records import goals
from unknot.records.clinical.pages import can_write, holds_view
from unknot.records.selectors import get_episode_for

CASELOAD_LIMIT = 200


@require_safe
@staff_only(CHART_ROLES, break_glass=True)
def episode_chart(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    context = sel.chart(episode) | {
        "can_write": can_write(request.user),
        "holds": holds_view(episode),
        "safety_calls": safety_calls_of_episode(request.user, episode),
        # Part of the chart whose read get_episode_for recorded (as break_glass when an
        # emergency opening let it through): no second row of its own.
        "goals": [
            (goal, goals.change_since_first(goal)) for goal in goals.goals_of(episode, removed=True)
        ],
    }
    return render(request, "plans/clinical/chart.html", context)


@require_safe
@staff_only(CHART_ROLES)
def caseload(request: SignedInRequest) -> HttpResponse:
    """The signed-in therapist's open episodes, or (?therapist=) a colleague's at their clinics."""
    therapists = sel.therapists_visible_to(request.user)
    chosen = request.GET.get("therapist", "")
    therapist = None
    if chosen.isdigit():
        therapist = sel.get_therapist_for(request.user, int(chosen))
    elif staff_role(request.user) == Role.THERAPIST:
        therapist = request.user.staff_member
    rows = []
    if therapist is not None:
        rows = list(sel.caseload(request.user, therapist, timezone.now())[:CASELOAD_LIMIT])
    context = {"therapist": therapist, "therapists": therapists, "rows": rows}
    return render(request, "plans/clinical/caseload.html", context)


@require_safe
@staff_only(CHART_ROLES, break_glass=True)
def patient_episodes(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    episodes = sel.episodes_of_patient(request.user, patient)
    return render(
        request, "plans/clinical/patient_episodes.html", {"patient": patient, "rows": episodes}
    )
