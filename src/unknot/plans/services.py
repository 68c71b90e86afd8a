"""Writes to plans of care: propose, edit a draft, goals, sign (with the visit series), phase.

Versions: only a draft is ever edited. Signing freezes it; a later change starts version n+1 as
a draft copy, and signing that supersedes the old one (the database allows one signed plan per
episode). The one field of a signed plan that may change is `current_phase`, moved when the
therapist accepts a progression suggestion at a visit; the visit records who and when.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from unknot import audit, care
from unknot import scheduling as sched
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking import services as booking
from unknot.booking.models import Appointment, AppointmentType
from unknot.care import instruments
from unknot.care.labels import DOMAIN_LABELS
from unknot.clinics.models import StaffMember
from unknot.common.errors import Refused
from unknot.plans import elements as el
from unknot.plans.models import (
    EducationAssignment,
    HomeExercise,
    PlanGoal,
    PlanOfCare,
    PlanStatus,
)
from unknot.plans.selectors import signed_plan
from unknot.records.clinical import holds, mapping
from unknot.records.clinical.selectors import baseline, intake_of, latest_evaluation
from unknot.records.models import Episode
from unknot.records.selectors import ensure_clinician

PHASES = ("symptom_relief", "active_care", "return_to_activity")


class PlanError(Refused):
    """A plan change that cannot be made; `message` is written for the therapist."""


def _locked(plan: PlanOfCare) -> PlanOfCare:
    """The plan re-read under a row lock, so two edits of one draft cannot lose each other."""
    return PlanOfCare.objects.select_for_update().select_related("episode").get(pk=plan.pk)


def find(elements: list[dict[str, Any]], key: str) -> dict[str, Any]:
    found = next((e for e in elements if e.get("key") == key), None)
    if found is None:
        raise PlanError("That element is not in this plan (it may have changed meanwhile).")
    return found


def _recorded(by: User, plan: PlanOfCare, reason: str, action: str = Action.UPDATE) -> None:
    """The audit row of a plan write, in the write's own transaction (codes only)."""
    audit.record(
        action, by=by, object_type="plan", object_id=plan.pk,
        patient_id=plan.episode.patient_id, clinic_id=plan.episode.clinic_id, reason=reason,
    )  # fmt: skip


def _ensure_draft(plan: PlanOfCare) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("A signed plan is never edited: start a new version to change it.")


# --- proposal ------------------------------------------------------------------------------


def case_for(episode: Episode) -> dict[str, Any]:
    """Intake answers + the latest evaluation (exam and what was asked in person) + age on
    that day + any medical clearance: the planning case. With a signed plan, its current phase
    is where a new version starts, so a re-proposal never sends the person back a phase."""
    evaluation = latest_evaluation(episode)
    if evaluation is None:
        raise PlanError("Record an evaluation first: the plan is built from it.")
    intake = intake_of(episode)
    answers = intake.answers if intake else {}
    birth = episode.patient.date_of_birth
    data = mapping.plan_case(
        answers, evaluation.exam, birth, evaluation.performed_on,
        in_person=evaluation.in_person, clearance=holds.clearance_for(episode),
    )  # fmt: skip
    signed = signed_plan(episode)
    if signed is not None:
        data["previous"] = {"phase": signed.current_phase}
    return data


def assessment_for(episode: Episode) -> tuple[dict[str, Any], care.Assessment]:
    """(case, the care core's assessment). PlanError when the case cannot be read."""
    data = case_for(episode)
    try:
        case = care.parse_case(data)
    except care.CaseError as error:
        raise PlanError(f"The record cannot be assessed: {error.field}: {error.reason}") from None
    return data, care.assess(case)


def proposal_for(episode: Episode) -> tuple[dict[str, Any], dict[str, Any]]:
    """(case, the care core's assessment as JSON). PlanError when the case cannot be read."""
    data, assessment = assessment_for(episode)
    return data, care.to_json(assessment)


def _new_elements(assessment: care.Assessment, case: dict[str, Any]) -> list[dict[str, Any]]:
    work = tuple(case.get("lifestyle", {}).get("work", ()))
    return el.from_proposal(assessment, work)


def _fill_from_proposal(plan: PlanOfCare, assessment: care.Assessment, kept: list[Any]) -> None:
    """The draft's proposal and what follows from the core's plan. The assessment is at hand,
    so its plan is read directly; only a stored proposal is parsed back (core_plan)."""
    core = assessment.plan
    if core.status == "withheld":  # emergency: no plan at all
        raise PlanError(core.message)
    plan.proposal = care.to_json(assessment)
    plan.current_phase = core.current_phase or plan.current_phase  # None only when withheld
    plan.diagnosis_codes = [asdict(code) for code in core.diagnosis_codes]
    if core.visits is not None:
        plan.frequency_per_week = core.visits.per_week or plan.frequency_per_week
        plan.duration_weeks = core.visits.weeks or plan.duration_weeks
    plan.elements = el.renumber([*plan.elements, *kept])


@transaction.atomic
def plan_propose(*, by: User, episode: Episode) -> PlanOfCare:
    """Runs the care core on the record and puts its proposal in the draft.

    A draft gets the fresh proposal; elements the therapist added (with any written override
    reason) are kept. With only a signed plan, the proposal becomes version n+1.
    """
    ensure_clinician(by, episode)
    case, assessment = assessment_for(episode)
    plans = list(PlanOfCare.objects.select_for_update().filter(episode=episode))
    draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
    base = draft or next((p for p in plans if p.status == PlanStatus.SIGNED), None)
    kept = [e for e in (base.elements if base else []) if e.get("origin") == "therapist"]
    newest = max((p.version for p in plans), default=0)
    plan = draft or PlanOfCare(episode=episode, version=newest + 1)
    plan.elements = _new_elements(assessment, case)
    _fill_from_proposal(plan, assessment, kept)
    plan.save()
    if draft is None and base is not None:
        _copy_goals(base, plan)
    _recorded(by, plan, "proposed", Action.CREATE if draft is None else Action.UPDATE)
    holds.hold_open(by=by, episode=episode, triage=assessment.triage, source="evaluation",
                    now=timezone.now())  # fmt: skip
    return plan


def _copy_goals(source: PlanOfCare, target: PlanOfCare) -> None:
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=target, term=g.term, instrument=g.instrument, comparison=g.comparison,
                 target=g.target, weeks=g.weeks, description=g.description)
        for g in source.goals.all()
    )  # fmt: skip


@transaction.atomic
def plan_revise(*, by: User, plan: PlanOfCare) -> PlanOfCare:
    """Version n+1 as a draft copy of the signed plan (or the draft that already exists)."""
    ensure_clinician(by, plan.episode)
    plans = list(PlanOfCare.objects.select_for_update().filter(episode=plan.episode))
    draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
    if draft is not None:
        return draft
    plan = next(p for p in plans if p.pk == plan.pk)  # as it is now, not as the caller saw it
    if plan.status != PlanStatus.SIGNED:
        raise PlanError("Only the signed plan can be the start of a new version.")
    copy = PlanOfCare.objects.create(
        episode=plan.episode,
        version=max(p.version for p in plans) + 1,
        proposal=plan.proposal,
        elements=plan.elements,
        frequency_per_week=plan.frequency_per_week,
        duration_weeks=plan.duration_weeks,
        current_phase=plan.current_phase,
        diagnosis_codes=plan.diagnosis_codes,
    )
    _copy_goals(plan, copy)
    _recorded(by, copy, "new_version", Action.CREATE)
    return copy


# --- editing a draft -------------------------------------------------------------------------


def _stamp(member: StaffMember, now: dt.datetime) -> dict[str, Any]:
    return {"by": member.display_name, "by_id": member.pk, "at": now.isoformat()}


def _edit(by: User, plan: PlanOfCare) -> tuple[PlanOfCare, StaffMember]:
    member = ensure_clinician(by, plan.episode)
    locked = _locked(plan)
    _ensure_draft(locked)
    return locked, member


@transaction.atomic
def element_remove(*, by: User, plan: PlanOfCare, key: str, now: dt.datetime) -> PlanOfCare:
    """Marks an element removed; it stays in the record (with any override reason) for good."""
    plan, member = _edit(by, plan)
    element = find(plan.elements, key)
    element["removed"] = _stamp(member, now)
    plan.save(update_fields=["elements"])
    _recorded(by, plan, "element_removed")
    return plan


@transaction.atomic
def element_dose(*, by: User, plan: PlanOfCare, key: str, dose: str) -> PlanOfCare:
    plan, _ = _edit(by, plan)
    find(plan.elements, key)["dose"] = dose.strip()[:200]
    plan.save(update_fields=["elements"])
    _recorded(by, plan, "dose_changed")
    return plan


@transaction.atomic
def element_override(
    *, by: User, plan: PlanOfCare, key: str, reason: str, now: dt.datetime
) -> PlanOfCare:
    """Plans a precaution without its modification, for a written reason that is kept."""
    plan, member = _edit(by, plan)
    element = find(plan.elements, key)
    if element.get("safety") != "precaution":
        raise PlanError("Only an element planned under a precaution can be overridden.")
    if not reason.strip():
        raise PlanError("Write why the precaution does not apply: the reason is kept.")
    element["override"] = {
        "verdict": "precaution",
        "reason": reason.strip()[:1000],
        "waived": element.get("modification"),
        "findings": el.findings(plan.proposal, element.get("intervention")),
    } | _stamp(member, now)
    element["modification"] = None
    plan.save(update_fields=["elements"])
    _recorded(by, plan, "precaution_overridden")
    return plan


@dataclass(frozen=True)
class NewElement:
    phase: str
    item: str  # "int:<intervention>", "ex:<exercise id>" or "edu:<topic>"
    reason: str
    what: str = ""
    dose: str = ""
    override_reason: str = ""


def _override_for(verdict: dict[str, Any], new: NewElement, member: StaffMember,
                  now: dt.datetime, findings: list[str]) -> dict[str, Any] | None:  # fmt: skip
    if verdict.get("verdict") != "contraindicated":
        return None
    if not new.override_reason.strip():
        raise PlanError(
            "This intervention is contraindicated for this person. It can only be added with "
            "a written reason, which stays in the plan."
        )
    return {"verdict": "contraindicated", "reason": new.override_reason.strip()[:1000],
            "findings": findings} | _stamp(member, now)  # fmt: skip


@transaction.atomic
def element_add(*, by: User, plan: PlanOfCare, new: NewElement, now: dt.datetime) -> PlanOfCare:
    """Adds an intervention, library exercise or education topic with its safety verdict."""
    plan, member = _edit(by, plan)
    if new.phase not in PHASES:
        raise PlanError("Choose the phase the element belongs to.")
    if not new.reason.strip():
        raise PlanError("Say why this element is added.")
    element = el.from_item(new.item)
    verdict = el.verdicts(plan.proposal).get(element["intervention"], {})
    findings = el.findings(plan.proposal, element["intervention"])
    element |= {
        "phase": new.phase,
        "reason": new.reason.strip()[:500],
        "safety": verdict.get("verdict", "ok"),
        "modification": el.modification(verdict),
        "override": _override_for(verdict, new, member, now, findings),
        "added": _stamp(member, now),
    }
    if new.what.strip():
        element["what"] = new.what.strip()[:300]
    if new.dose.strip():
        element["dose"] = new.dose.strip()[:200]
    plan.elements = el.renumber([*plan.elements, element])
    plan.save(update_fields=["elements"])
    _recorded(by, plan, "contraindication_overridden" if element["override"] else "element_added")
    return plan


# --- goals, frequency, duration --------------------------------------------------------------


@dataclass(frozen=True)
class GoalSpec:
    term: str  # short | long
    instrument: str  # a followed measure's key (care.instruments.FOLLOWED: nprs, odi, ...)
    comparison: str  # <= | >=
    target: float
    weeks: int

    def describe(self) -> str:
        known = self.instrument in el.INSTRUMENT_NAMES
        unit = "%" if known and instruments.measure(self.instrument).unit == "%" else ""
        word = "at most" if self.comparison == "<=" else "at least"
        name = el.INSTRUMENT_NAMES.get(self.instrument, self.instrument)
        return f"{name} {word} {self.target:g}{unit} within {self.weeks} weeks"


def suggested_goals(episode: Episode, weeks: int) -> list[GoalSpec]:
    """Goals from the baseline scores and the meaningful-change thresholds (MCID-*)."""
    return el.suggest_goals(baseline(episode, intake_of(episode)), weeks, GoalSpec)


@transaction.atomic
def plan_set_goals(
    *, by: User, plan: PlanOfCare, frequency: int, weeks: int, goals: list[GoalSpec]
) -> PlanOfCare:
    plan, _ = _edit(by, plan)
    if not 1 <= frequency <= 7 or not 1 <= weeks <= 52:
        raise PlanError("Visits a week must be 1-7 and the duration 1-52 weeks.")
    plan.frequency_per_week, plan.duration_weeks = frequency, weeks
    plan.save(update_fields=["frequency_per_week", "duration_weeks"])
    plan.goals.all().delete()
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, term=g.term, instrument=g.instrument, comparison=g.comparison,
                 target=g.target, weeks=g.weeks, description=g.describe())
        for g in goals
    )  # fmt: skip
    _recorded(by, plan, "goals_set")
    return plan


# --- signing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRequest:
    """The visits the person agreed to: booked all at once when the plan is signed."""

    appointment_type: AppointmentType
    therapist: StaffMember
    pattern: sched.SeriesPattern


def _ensure_screened(plan: PlanOfCare) -> None:
    """SCREEN-1: no plan is signed on an incomplete red-flag screen, neither the one it was
    proposed from nor the record as it is now (the therapist may have asked in person since)."""
    _, now = assessment_for(plan.episode)
    if not now.triage.screen.complete:
        domains = ", ".join(DOMAIN_LABELS[d].lower()
                            for d in now.triage.screen.open_domains)  # fmt: skip
        raise PlanError(
            f"The red-flag screen is not complete ({domains}). Ask about these in person and "
            "record the answers in the evaluation, then propose the plan again."
        )
    core = plan.core_plan()
    if core is not None and core.status == "provisional":
        raise PlanError("This plan was proposed on an incomplete screen: propose it again now "
                        "that the screen is complete.")  # fmt: skip


def _ensure_signable(plan: PlanOfCare, newest: int) -> None:
    _ensure_draft(plan)
    if plan.version != newest:
        raise PlanError("A newer version of this plan exists: sign that one.")
    _ensure_screened(plan)
    if not plan.goals.exists():
        raise PlanError("Set at least one measurable goal before signing.")
    if not el.active(plan.elements):
        raise PlanError("The plan has no elements left: add at least one before signing.")


def _home_rows(plan: PlanOfCare, active: list[dict[str, Any]]) -> list[HomeExercise]:
    """Its home-exercise elements; a version whose phase moved past the programme it was
    proposed with (a revision after an accepted progression) gets its phase's programme."""
    core = plan.core_plan()
    programme = core.home_programme if core is not None else None
    proposed = programme.phase if programme is not None else None
    if proposed and plan.current_phase != proposed:
        from unknot.plans import phase  # it builds on this module

        return phase.home_rows(plan, plan.current_phase,
                               phase.programme_for(plan.episode, plan.current_phase))  # fmt: skip
    return [HomeExercise(plan=plan, exercise_key=e["exercise_key"],
                         dose=e.get("dose", "")[:200], order=n)
            for n, e in enumerate(x for x in active if x.get("exercise_key"))]  # fmt: skip


def _home_and_education(plan: PlanOfCare) -> None:
    """The signed version's home programme and prevention lessons, from its own elements."""
    active = el.active(plan.elements)
    HomeExercise.objects.bulk_create(_home_rows(plan, active))
    topics: dict[str, str] = {}
    for element in active:
        for topic in element.get("topics", ()):
            topics.setdefault(topic, element.get("reason", "")[:200])
    EducationAssignment.objects.bulk_create(
        EducationAssignment(plan=plan, topic_key=t, reason=r) for t, r in topics.items()
    )


def plan_sign(
    *, by: User, plan: PlanOfCare, now: dt.datetime, series: SeriesRequest | None = None
) -> list[Appointment]:
    """Signs the draft and, when the person agreed, books its visits: all of it or nothing.

    SeriesConflicts (or any refusal) propagates out of the transaction, so the plan stays a
    draft and no appointment is kept.
    """
    member = ensure_clinician(by, plan.episode)
    with transaction.atomic():
        plans = list(PlanOfCare.objects.select_for_update().filter(episode=plan.episode))
        plan = next(p for p in plans if p.pk == plan.pk)
        _ensure_signable(plan, max(p.version for p in plans))
        booked: list[Appointment] = []
        if series is not None:
            booked = booking.series_reserve(
                by=by, clinic=plan.episode.clinic, appointment_type=series.appointment_type,
                therapist=series.therapist, patient=plan.episode.patient,
                pattern=series.pattern, now=now,
                description=f"Plan of care v{plan.version}",
            )  # fmt: skip
        PlanOfCare.objects.filter(episode=plan.episode, status=PlanStatus.SIGNED).update(
            status=PlanStatus.SUPERSEDED
        )
        plan.status, plan.signed_by, plan.signed_at = PlanStatus.SIGNED, member, now
        plan.save(update_fields=["status", "signed_by", "signed_at"])
        _home_and_education(plan)
        _recorded(by, plan, "signed")
    return booked


def plan_phase_change(*, by: User, plan: PlanOfCare, to: str) -> str:
    """Moves the signed plan's current phase (the one in-place change); returns the old one."""
    ensure_clinician(by, plan.episode)
    if to not in PHASES:
        raise PlanError("Unknown phase.")
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != PlanStatus.SIGNED:
            raise PlanError("Only the signed plan's phase moves with progress.")
        old = plan.current_phase
        plan.current_phase = to
        plan.save(update_fields=["current_phase"])
        _recorded(by, plan, "phase_changed")
    return old
