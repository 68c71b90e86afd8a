"""Observation (outcome scores), CarePlan and Goal (the signed plan of care).

Every row is reached through `episodes_visible_to(user)`: staff see their clinics' episodes,
a patient their own, anyone else nothing (404 on read). Draft plans are not shown: a plan
becomes a CarePlan when the therapist signs it.
"""

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from unknot.care import instruments
from unknot.care.codes import CPT_LABELS
from unknot.care.instruments import Measure
from unknot.care.instruments.base import Part
from unknot.fhir import search as s
from unknot.fhir.http import invalid
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import (
    CPT,
    INSTRUMENT_SYSTEM,
    LOINC,
    OBSERVATION_CATEGORY,
    UCUM,
    Context,
    Resource,
    coding,
    concept,
    instant,
    ref,
    whole_number,
)
from unknot.plans.models import PlanGoal, PlanOfCare, PlanStatus
from unknot.plans.services import PHASES
from unknot.records.models import EpisodeStatus, Instrument, OutcomeScore
from unknot.records.selectors import episodes_visible_to


def _measure(instrument: str) -> Measure | None:
    return instruments.measure(instrument) if instrument in Instrument.values else None


def instrument_concept(instrument: str) -> dict[str, Any]:
    """The measure: its LOINC code where it has one (care.instruments), and its unknot key."""
    measure = _measure(instrument)
    label = measure.label if measure else instrument
    codings = [coding(INSTRUMENT_SYSTEM, instrument, label)]
    if measure and measure.code:
        codings.insert(0, coding(LOINC, measure.code.code, measure.code.display))
    return concept(label, *codings)


def _number(row: OutcomeScore) -> int | float:
    return int(row.value) if float(row.value).is_integer() else float(row.value)


# --- Observation -----------------------------------------------------------------------------


def _value(row: OutcomeScore) -> dict[str, Any]:
    measure = _measure(row.instrument)
    if measure and measure.unit:
        unit = measure.unit
        return {"valueQuantity": {"value": row.value, "unit": unit, "system": UCUM, "code": unit}}
    return {"valueInteger": int(row.value)}


def _component(part: Part) -> dict[str, Any]:
    code = concept(part.label, coding(LOINC, part.code.code, part.code.display))
    if part.answer is not None:
        answer = coding(LOINC, part.answer.code, part.answer.display)
        return {"code": code, "valueCodeableConcept": concept(part.answer_text, answer)}
    return {"code": code, "valueInteger": part.value}


def _interpretation(row: OutcomeScore) -> list[dict[str, Any]]:
    measure = _measure(row.instrument)
    words = measure.interpretation(row.details or {}) if measure else ""
    return [concept(words)] if words else []


def observation_resource(row: OutcomeScore) -> Resource:
    patient = row.episode.patient
    resource: Resource = {
        "resourceType": "Observation",
        "id": str(row.pk),
        "status": "final",
        "category": [concept("Survey", coding(OBSERVATION_CATEGORY, "survey", "Survey"))],
        "code": instrument_concept(row.instrument),
        "subject": ref("Patient", patient.pk, patient.full_name),
        "effectiveDateTime": row.measured_on.isoformat(),
        **_value(row),
    }
    if interpretation := _interpretation(row):
        resource["interpretation"] = interpretation
    measure = _measure(row.instrument)
    if measure and (parts := measure.parts(row.details or {})):
        resource["component"] = [_component(part) for part in parts]
    intake = getattr(row.episode, "intake", None)
    if row.source == "intake" and intake is not None:
        resource["derivedFrom"] = [ref("QuestionnaireResponse", intake.pk)]
    return resource


def _scores(ctx: Context) -> QuerySet[OutcomeScore]:
    return OutcomeScore.objects.filter(episode__in=episodes_visible_to(ctx.user)).select_related(
        "episode__patient", "episode__intake"
    )


def read_observation(ctx: Context, resource_id: str) -> Resource:
    row = _scores(ctx).filter(pk=whole_number(resource_id) or 0).first()
    if row is None:
        raise Http404("No such observation.")
    return observation_resource(row)


def _instruments(query: s.Query) -> list[str]:
    by_loinc = {m.code.code: m.key for m in instruments.MEASURES if m.code}
    wanted = []
    for token in s.tokens(query, "code"):
        system, _, code = token.rpartition("|")
        key = by_loinc.get(code) if system in ("", LOINC) else None
        if key is None and system in ("", INSTRUMENT_SYSTEM) and code in Instrument.values:
            key = code
        if key is None:
            raise invalid(
                f"code {token!r} is not a score we record (LOINC, or {INSTRUMENT_SYSTEM})."
            )
        wanted.append(key)
    return wanted


def search_observations(ctx: Context, query: s.Query) -> s.Page:
    rows = _scores(ctx)
    if ids := s.reference_ids(query, "patient", "Patient"):
        rows = rows.filter(episode__patient_id__in=ids)
    if instruments := _instruments(query):
        rows = rows.filter(instrument__in=instruments)
    rows = s.filter_dates(rows, "measured_on", s.date_bounds(query, "date"), dates=True)
    return s.page_of(rows.order_by("measured_on", "pk"), query, observation_resource)


OBSERVATION = ResourceType(
    "Observation",
    "Outcome scores (NPRS, ODI, STarT Back, PSFS, FABQ), LOINC-coded where a code exists.",
    (
        SearchParam("patient", "reference", "Patient/<id>."),
        SearchParam(
            "code",
            "token",
            "A LOINC code (72514-3, 97909-6, 91351-7) or an "
            f"instrument key ({INSTRUMENT_SYSTEM}: nprs, odi, start_back, psfs, ...).",
        ),
        SearchParam("date", "date", "The day it was measured (eq, ge, le, gt, lt)."),
    ),
    read=read_observation,
    search=search_observations,
)


# --- CarePlan and Goal -----------------------------------------------------------------------

SHOWN = (PlanStatus.SIGNED, PlanStatus.SUPERSEDED)


def _plan_status(plan: PlanOfCare) -> str:
    if plan.status == PlanStatus.SUPERSEDED:
        return "revoked"
    return "completed" if plan.episode.status == EpisodeStatus.DISCHARGED else "active"


# The stored proposal (the care core's whole explained answer, tens of kilobytes a plan) is no
# part of a CarePlan or a Goal: a page of them decoded it for every plan (two thirds of the time).
NOT_SHOWN = "proposal"


def _plans(ctx: Context) -> QuerySet[PlanOfCare]:
    return (
        PlanOfCare.objects.filter(status__in=SHOWN, episode__in=episodes_visible_to(ctx.user))
        .defer(NOT_SHOWN)
        .select_related("episode__patient", "signed_by__user")
        .prefetch_related(Prefetch("goals", queryset=PlanGoal.objects.order_by("pk")))
    )


def _signed_day(plan: PlanOfCare) -> dt.date:
    return (plan.signed_at or plan.created_at).date()


def _activity(plan: PlanOfCare, element: dict[str, Any]) -> dict[str, Any]:
    phase = element.get("phase")
    status = "unknown"
    if phase in PHASES and plan.current_phase in PHASES:
        order = PHASES.index(phase) - PHASES.index(plan.current_phase)
        status = "completed" if order < 0 else "in-progress" if order == 0 else "not-started"
    what = str(element.get("what") or "Plan element")
    code = concept(what)
    if element.get("cpt"):
        code["coding"] = [coding(CPT, element["cpt"], CPT_LABELS.get(element["cpt"], ""))]
    detail: dict[str, Any] = {"code": code, "status": status}
    if element.get("dose"):
        detail["description"] = f"{what} ({element['dose']})"
    if element.get("reason"):
        detail["reasonCode"] = [concept(str(element["reason"]))]
    return {"detail": detail}


def care_plan_resource(plan: PlanOfCare) -> Resource:
    patient, start = plan.episode.patient, _signed_day(plan)
    phase = plan.current_phase.replace("_", " ")
    resource: Resource = {
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "status": _plan_status(plan),
        "intent": "plan",
        "title": f"Plan of care, version {plan.version}",
        "description": f"{plan.frequency_per_week} visits a week for {plan.duration_weeks} "
        f"weeks; current phase: {phase}.",
        "subject": ref("Patient", patient.pk, patient.full_name),
        "period": {"start": start.isoformat(),
                   "end": (start + dt.timedelta(weeks=plan.duration_weeks)).isoformat()},
        "goal": [ref("Goal", goal.pk) for goal in plan.goals.all()],
        "activity": [_activity(plan, e) for e in plan.elements if not e.get("removed")],
    }  # fmt: skip
    if plan.signed_at is not None:
        resource["created"] = instant(plan.signed_at)
    if plan.signed_by is not None:
        resource["author"] = ref("Practitioner", plan.signed_by.pk, plan.signed_by.display_name)
    for key in ("goal", "activity"):
        if not resource[key]:
            del resource[key]
    return resource


def read_care_plan(ctx: Context, resource_id: str) -> Resource:
    plan = _plans(ctx).filter(pk=whole_number(resource_id) or 0).first()
    if plan is None:
        raise Http404("No such care plan.")
    return care_plan_resource(plan)


STATUS_OF = {"active": PlanStatus.SIGNED, "completed": PlanStatus.SIGNED,
             "revoked": PlanStatus.SUPERSEDED}  # fmt: skip


def search_care_plans(ctx: Context, query: s.Query) -> s.Page:
    rows = _plans(ctx)
    if ids := s.reference_ids(query, "patient", "Patient"):
        rows = rows.filter(episode__patient_id__in=ids)
    if wanted := s.tokens(query, "status"):
        if set(wanted) - STATUS_OF.keys():
            raise invalid(f"status must be one of: {', '.join(STATUS_OF)}.")
        rows = _by_status(rows, set(wanted))
    return s.page_of(rows.order_by("episode_id", "version"), query, care_plan_resource)


def _by_status(rows: QuerySet[PlanOfCare], wanted: set[str]) -> QuerySet[PlanOfCare]:
    keep = rows.none()
    if "revoked" in wanted:
        keep |= rows.filter(status=PlanStatus.SUPERSEDED)
    if "active" in wanted:
        keep |= rows.filter(status=PlanStatus.SIGNED).exclude(
            episode__status=EpisodeStatus.DISCHARGED
        )
    if "completed" in wanted:
        keep |= rows.filter(status=PlanStatus.SIGNED, episode__status=EpisodeStatus.DISCHARGED)
    return keep


CARE_PLAN = ResourceType(
    "CarePlan",
    "Signed plans of care: visits, phases and their elements (CPT-coded), with their goals. "
    "A replaced version is revoked; drafts are not shown. A search gives 10 a page unless "
    "_count says otherwise (a plan carries every element).",
    (
        SearchParam("patient", "reference", "Patient/<id>."),
        SearchParam("status", "token", "active, completed or revoked."),
    ),
    read=read_care_plan,
    search=search_care_plans,
    # A plan is some twenty activities with their codes (7 KB of JSON): a page of 20 cost four
    # times the page of a small practice's few plans.
    default_count=10,
)


def _target(goal: PlanGoal) -> dict[str, Any]:
    bound: dict[str, Any] = {"value": goal.target}
    measure = _measure(goal.instrument)
    if measure and measure.unit and not measure.unit.startswith("{"):  # a unit, not a {score}
        bound |= {"unit": measure.unit, "system": UCUM, "code": measure.unit}
    side = "high" if goal.comparison == "<=" else "low"
    due = _signed_day(goal.plan) + dt.timedelta(weeks=goal.weeks)
    return {"measure": instrument_concept(goal.instrument), "detailRange": {side: bound},
            "dueDate": due.isoformat()}  # fmt: skip


def goal_resource(goal: PlanGoal) -> Resource:
    plan, patient = goal.plan, goal.plan.episode.patient
    status = _plan_status(plan)
    lifecycle = {"revoked": "cancelled", "completed": "completed"}.get(status, "active")
    return {
        "resourceType": "Goal",
        "id": str(goal.pk),
        "lifecycleStatus": lifecycle,
        "category": [concept(goal.get_term_display() + " goal")],
        "description": concept(goal.description),
        "subject": ref("Patient", patient.pk, patient.full_name),
        "startDate": _signed_day(plan).isoformat(),
        "target": [_target(goal)],
    }


def _goals(ctx: Context) -> QuerySet[PlanGoal]:
    return (
        PlanGoal.objects.filter(
            plan__status__in=SHOWN, plan__episode__in=episodes_visible_to(ctx.user)
        )
        .select_related("plan__episode__patient")
        .defer(f"plan__{NOT_SHOWN}")
    )


def read_goal(ctx: Context, resource_id: str) -> Resource:
    goal = _goals(ctx).filter(pk=whole_number(resource_id) or 0).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal_resource(goal)


def search_goals(ctx: Context, query: s.Query) -> s.Page:
    rows = _goals(ctx)
    if ids := s.reference_ids(query, "patient", "Patient"):
        rows = rows.filter(plan__episode__patient_id__in=ids)
    return s.page_of(rows.order_by("plan_id", "pk"), query, goal_resource)


GOAL = ResourceType(
    "Goal",
    "The measurable goals of signed plans of care (e.g. ODI at most 20% within 6 weeks).",
    (SearchParam("patient", "reference", "Patient/<id>."),),
    read=read_goal,
    search=search_goals,
)
