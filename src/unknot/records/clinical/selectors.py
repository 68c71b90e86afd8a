"""Reads for the clinical pages. Every object is reached through `get_episode_for` first.

List pages (caseload, a patient's episodes) use a fixed number of queries whatever the number
of rows: next appointments, last visits and phases come as subqueries, not per row.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from unknot import care
from unknot.accounts.access import is_read_only, staff_role
from unknot.accounts.roles import Role
from unknot.booking.models import Appointment, Status
from unknot.booking.safety_calls import open_call_exists
from unknot.clinics.models import StaffMember
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients.models import Patient
from unknot.plans.models import PlanOfCare, PlanStatus
from unknot.records.clinical import mapping
from unknot.records.models import (
    Episode,
    EpisodeStatus,
    Evaluation,
    Intake,
    MedicalHold,
    OutcomeScore,
    Visit,
    VisitIntervention,
)
from unknot.records.selectors import episodes_visible_to


def _writable(user: Any) -> None:
    if is_read_only(user) or staff_role(user) is None:
        raise PermissionDenied("Your role may read this record but not change it.")


def intake_of(episode: Episode) -> Intake | None:
    return Intake.objects.filter(episode=episode).first()


def _in_visible_episode(model: Any, user: Any, pk: int, related: tuple[str, ...], what: str) -> Any:
    """A row of an episode the user may see, or 404: the one rule behind the helpers below."""
    found = (
        model.objects.select_related("episode__patient", "episode__clinic", *related)
        .filter(pk=pk, episode__in=episodes_visible_to(user))
        .first()
    )
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def get_evaluation_for(user: Any, evaluation_id: int) -> Evaluation:
    return _in_visible_episode(Evaluation, user, evaluation_id, ("therapist__user",), "evaluation")


def get_evaluation_for_rw(user: Any, evaluation_id: int) -> Evaluation:
    found = get_evaluation_for(user, evaluation_id)
    _writable(user)
    return found


def get_plan_for(user: Any, plan_id: int) -> PlanOfCare:
    return _in_visible_episode(PlanOfCare, user, plan_id, ("signed_by__user",), "plan of care")


def get_plan_for_rw(user: Any, plan_id: int) -> PlanOfCare:
    found = get_plan_for(user, plan_id)
    _writable(user)
    return found


def get_visit_for(user: Any, visit_id: int) -> Visit:
    return _in_visible_episode(Visit, user, visit_id, ("therapist__user",), "visit")


def get_visit_for_rw(user: Any, visit_id: int) -> Visit:
    found = get_visit_for(user, visit_id)
    _writable(user)
    return found


def get_hold_for_rw(user: Any, hold_id: int) -> MedicalHold:
    found = _in_visible_episode(MedicalHold, user, hold_id, ("opened_by__user",), "referral")
    _writable(user)
    return found  # type: ignore[no-any-return]


def signed_plan(episode: Episode) -> PlanOfCare | None:
    return episode.plans.filter(status=PlanStatus.SIGNED).first()


def draft_plan(episode: Episode) -> PlanOfCare | None:
    return episode.plans.filter(status=PlanStatus.DRAFT).first()


def latest_evaluation(episode: Episode) -> Evaluation | None:
    return episode.evaluations.order_by("-performed_on", "-pk").first()


@dataclass(frozen=True)
class Baseline:
    """The first value of each measure: what goals and meaningful change are judged against."""

    nprs: float | None = None
    odi: float | None = None
    psfs: float | None = None
    psfs_items: tuple[dict[str, Any], ...] = ()


def _scored_intake(episode: Episode, intake: Intake | None) -> Baseline:
    if intake is None:
        return Baseline()
    try:
        case = care.parse_case(
            mapping.base_case(
                intake.answers, episode.patient.date_of_birth, episode.opened_at.date()
            )
        )
    except care.CaseError:
        return Baseline()
    scores = care.score_all(case)
    psfs = scores.psfs if hasattr(scores.psfs, "mean") else None
    return Baseline(
        nprs=getattr(scores.nprs, "score", None),
        odi=getattr(scores.odi, "percent", None),
        psfs=getattr(psfs, "mean", None),
        psfs_items=tuple(
            {"activity": i.activity, "score": i.score} for i in getattr(psfs, "items", ())
        ),
    )


# Scores taken before treatment began; visit and re-assessment scores are measured against them.
BASELINE_SOURCES = ("intake", "evaluation")


def baseline(episode: Episode, intake: Intake | None) -> Baseline:
    """The earliest pre-treatment score per measure; the intake scored by the core otherwise."""
    first: dict[str, OutcomeScore] = {}
    stored = episode.scores.filter(
        instrument__in=("nprs", "odi", "psfs"), source__in=BASELINE_SOURCES
    )
    for score in stored:
        first.setdefault(score.instrument, score)
    scored = _scored_intake(episode, intake)
    psfs = first.get("psfs")
    return Baseline(
        nprs=first["nprs"].value if "nprs" in first else scored.nprs,
        odi=first["odi"].value if "odi" in first else scored.odi,
        psfs=psfs.value if psfs else scored.psfs,
        psfs_items=tuple(psfs.details.get("items", ())) if psfs else scored.psfs_items,
    )


def visits_of(episode: Episode) -> QuerySet[Visit]:
    interventions = Prefetch("interventions", queryset=VisitIntervention.objects.order_by("pk"))
    return episode.visits.select_related("therapist__user").prefetch_related(interventions)


def chart(episode: Episode) -> dict[str, Any]:
    """Everything the episode chart shows, in a fixed handful of queries."""
    intake = intake_of(episode)
    plans = list(episode.plans.select_related("signed_by__user").order_by("-version"))
    return {
        "episode": episode,
        "intake": intake,
        "evaluations": list(episode.evaluations.select_related("therapist__user")),
        "plans": plans,
        "current_plan": next((p for p in plans if p.status == PlanStatus.SIGNED), None),
        "draft": next((p for p in plans if p.status == PlanStatus.DRAFT), None),
        "visits": list(visits_of(episode)),
        "scores": list(episode.scores.all()),
        "baseline": baseline(episode, intake),
    }


def therapists_visible_to(user: Any) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(role=Role.THERAPIST, clinics__in=clinics_visible_to(user))
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )


def get_therapist_for(user: Any, staff_id: int) -> StaffMember:
    found = therapists_visible_to(user).filter(pk=staff_id).first()
    if found is None:
        raise Http404("No such therapist.")
    return found


def _next_appointment(now: dt.datetime) -> Subquery:
    upcoming = Appointment.objects.filter(
        patient_id=OuterRef("patient_id"),
        clinic_id=OuterRef("clinic_id"),
        start__gte=now,
        status=Status.BOOKED,
    ).order_by("start")
    return Subquery(upcoming.values("start")[:1])


def _phase() -> Subquery:
    signed = PlanOfCare.objects.filter(episode_id=OuterRef("pk"), status=PlanStatus.SIGNED)
    return Subquery(signed.values("current_phase")[:1])


def caseload(user: Any, therapist: StaffMember, now: dt.datetime) -> QuerySet[Episode]:
    """A therapist's open episodes with the next booked appointment, in one query."""
    return (
        episodes_visible_to(user)
        .filter(therapist=therapist, status=EpisodeStatus.OPEN)
        .annotate(
            next_start=_next_appointment(now),
            last_visit=Max("visits__performed_on"),
            visit_count=Count("visits", distinct=True),
            phase=_phase(),
            call_first=open_call_exists(),  # a "call before the visit" still to be made
        )
        .order_by("next_start", "patient__last_name", "pk")
    )


def episodes_of_patient(user: Any, patient: Patient) -> QuerySet[Episode]:
    return (
        episodes_visible_to(user)
        .filter(patient=patient)
        .annotate(visit_count=Count("visits", distinct=True), phase=_phase())
        .order_by("-opened_at")
    )


def appointment_for_visit(episode: Episode, appointment_id: int | None) -> Appointment | None:
    """An appointment of this episode's patient at its clinic, not yet written up, or None."""
    if appointment_id is None:
        return None
    found = (
        Appointment.objects.filter(
            pk=appointment_id, patient_id=episode.patient_id, clinic_id=episode.clinic_id
        )
        .exclude(status__in=(Status.CANCELLED, Status.HELD))
        .filter(visit__isnull=True)
        .first()
    )
    if found is None:
        raise Http404("No such appointment for this episode.")
    return found
