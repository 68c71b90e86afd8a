"""Reads for the plan of care, visit and chart pages. Every object is reached through
`get_episode_for` first, or through the clinical record's `in_visible_episode`.

List pages (caseload, a patient's episodes) use a fixed number of queries whatever the number
of rows: next appointments, last visits and phases come as subqueries, not per row.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from unknot import audit
from unknot.accounts.access import ensure_may_write
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import Role
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.booking.models import Appointment, Status
from unknot.booking.safety_calls import open_call_exists
from unknot.clinics.models import StaffMember
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients.models import Patient
from unknot.plans import certification_links
from unknot.plans.models import (
    Certification,
    ExerciseLog,
    HomeExercise,
    LogStatus,
    PlanOfCare,
    PlanStatus,
)
from unknot.records.clinical.selectors import baseline, in_visible_episode, intake_of
from unknot.records.models import Episode, EpisodeStatus, Visit, VisitIntervention
from unknot.records.selectors import episodes_visible_to


def get_plan_for(user: AnyUser, plan_id: int) -> PlanOfCare:
    return in_visible_episode(
        PlanOfCare, user, plan_id, ("signed_by__user",), "plan of care", kind="plan"
    )


def get_plan_for_rw(user: AnyUser, plan_id: int) -> PlanOfCare:
    found = get_plan_for(user, plan_id)
    ensure_may_write(user)
    return found


def get_visit_for(user: AnyUser, visit_id: int) -> Visit:
    return in_visible_episode(Visit, user, visit_id, ("therapist__user",), "visit", kind="visit")


def get_visit_for_rw(user: AnyUser, visit_id: int) -> Visit:
    found = get_visit_for(user, visit_id)
    ensure_may_write(user)
    return found


def get_certification_for_rw(user: AnyUser, certification_id: int) -> Certification:
    found = in_visible_episode(
        Certification, user, certification_id, ("plan",), "certification", kind="certification"
    )
    ensure_may_write(user)
    return found


def certifications_of(plan: PlanOfCare) -> list[Certification]:
    """The episode's certifications, newest first (they may be of earlier plan versions)."""
    return list(plan.episode.certifications.select_related("plan", "sent_by__user"))


def certification_for_token(token: str) -> Certification:
    """The access helper for a certification's signed link: a forged or changed token is a
    plain 404; an old one raises certification_links.LinkExpired. The read is recorded (by
    whoever holds the link)."""
    certification_id = certification_links.certification_from_token(token)
    found = (
        Certification.objects.select_related("plan", "episode__patient", "episode__clinic")
        .filter(pk=certification_id)
        .first()
        if certification_id
        else None
    )
    if found is None:
        raise Http404("This link is not valid.")
    audit.record(
        Action.READ, object_type="certification", object_id=found.pk,
        patient_id=found.episode.patient_id, clinic_id=found.episode.clinic_id, reason="link",
    )  # fmt: skip
    return found


def signed_plan(episode: Episode) -> PlanOfCare | None:
    return episode.plans.filter(status=PlanStatus.SIGNED).first()


def draft_plan(episode: Episode) -> PlanOfCare | None:
    return episode.plans.filter(status=PlanStatus.DRAFT).first()


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


def therapists_visible_to(user: AnyUser) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(role=Role.THERAPIST, clinics__in=clinics_visible_to(user))
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )


def get_therapist_for(user: AnyUser, staff_id: int) -> StaffMember:
    rows = therapists_visible_to(user)
    return one_visible_or_404(rows, user, "staff_member", staff_id, name="therapist", audited=False)


def _next_appointment(now: dt.datetime) -> Subquery:
    upcoming = Appointment.objects.filter(
        patient_id=OuterRef("patient_id"),
        clinic_id=OuterRef("clinic_id"),
        start__gte=now,
        status=Status.BOOKED,
    ).order_by("start")
    return Subquery(upcoming.values("start")[:1])


def signed_plan_value(field: str) -> Subquery:
    """For a list of episodes: a field of each one's signed plan (None without one)."""
    signed = PlanOfCare.objects.filter(episode_id=OuterRef("pk"), status=PlanStatus.SIGNED)
    return Subquery(signed.order_by("-version").values(field)[:1])


def with_signed_plan() -> QuerySet[PlanOfCare, Any]:
    """The episodes with a signed plan, as a set to filter on (`pk__in=`): a practice keeps
    years of episodes that never reached a plan, and this reads only the plans."""
    return PlanOfCare.objects.filter(status=PlanStatus.SIGNED).values("episode_id")


def home_sessions_done(first: dt.date, last: dt.date) -> Coalesce:
    """For a list of episodes: home sessions logged as done between two days (inclusive)."""
    done = ExerciseLog.objects.filter(
        episode_id=OuterRef("pk"), status=LogStatus.DONE, performed_on__range=(first, last)
    )
    counted = done.values("episode_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def home_sessions_per_week() -> Subquery:
    """For a list of episodes: the signed plan's home sessions per week, the most any of its
    exercises asks (None without a signed plan or home exercises)."""
    rows = HomeExercise.objects.filter(
        plan__episode_id=OuterRef("pk"), plan__status=PlanStatus.SIGNED
    )
    most = rows.values("plan__episode_id").annotate(most=Max("sessions_per_week"))
    return Subquery(most.values("most")[:1], output_field=IntegerField())


def caseload(user: AnyUser, therapist: StaffMember, now: dt.datetime) -> QuerySet[Episode]:
    """A therapist's open episodes with the next booked appointment, in one query."""
    return (
        episodes_visible_to(user)
        .filter(therapist=therapist, status=EpisodeStatus.OPEN)
        .annotate(
            next_start=_next_appointment(now),
            last_visit=Max("visits__performed_on"),
            visit_count=Count("visits", distinct=True),
            phase=signed_plan_value("current_phase"),
            call_first=open_call_exists(),  # a "call before the visit" still to be made
        )
        .order_by("next_start", "patient__last_name", "pk")
    )


def episodes_of_patient(user: AnyUser, patient: Patient) -> QuerySet[Episode]:
    return (
        episodes_visible_to(user)
        .filter(patient=patient)
        .annotate(
            visit_count=Count("visits", distinct=True), phase=signed_plan_value("current_phase")
        )
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
