"""Treatment visits: re-screen, NPRS, interventions with CPT units, progression, re-assessment.

Every visit re-runs the care core's triage on this visit's red-flag answers: a flag that appears
at visit 3 changes visit 3's triage (and EMERGENCY stops the visit: it is recorded with the
screen and the pain score, nothing else). A signed note is never changed again.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit, care
from unknot.accounts.access import staff_role
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.audit.models import Action
from unknot.booking.models import Appointment
from unknot.care.codes import INTERVENTION_CPT, TIMED_CPT
from unknot.care.labels import INTERVENTION_LABELS
from unknot.care.model import PsfsItem
from unknot.care.scores import OdiScore, PsfsScore
from unknot.plans.models import PlanOfCare
from unknot.plans.phase import plan_move_phase
from unknot.plans.services import PlanError
from unknot.records.clinical import holds, mapping
from unknot.records.clinical import plan_elements as el
from unknot.records.clinical import progression as prog
from unknot.records.clinical.selectors import (
    Baseline,
    baseline,
    intake_of,
    latest_evaluation,
    signed_plan,
)
from unknot.records.models import Episode, OutcomeScore, Visit, VisitIntervention
from unknot.records.selectors import episodes_visible_to

EMERGENCY = "EMERGENCY_SAME_DAY"
NPRS_LOINC = "72514-3"
ODI_LOINC = "97909-6"


class VisitError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def reassess_every() -> int:
    """UNKNOT_REASSESS_EVERY_VISITS (default 4): ODI and PSFS are asked again at these visits."""
    return int(getattr(settings, "UNKNOT_REASSESS_EVERY_VISITS", 4))


def is_reassessment(number: int) -> bool:
    every = reassess_every()
    return every > 0 and number % every == 0


@dataclass(frozen=True)
class Delivered:
    intervention: str
    minutes: int
    notes: str = ""

    @property
    def cpt(self) -> str:
        return INTERVENTION_CPT[self.intervention]


@dataclass
class VisitInput:
    performed_on: dt.date
    nprs: int
    positive_flags: set[str]
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan_text: str = ""
    symptom_course: str | None = None
    flare_24h: bool | None = None
    goals_need_loading: bool | None = None  # PROG-2: work, sport or lifting at home call for it
    delivered: list[Delivered] = field(default_factory=list)
    odi: list[int | None] | None = None  # ten sections at a re-assessment
    psfs: list[dict[str, Any]] | None = None  # [{"activity", "score"}]
    appointment: Appointment | None = None


def split_units(rows: list[tuple[str, int]]) -> list[int]:
    """Units per delivered row: the 8-minute rule decides each code's units (core cpt_units);
    within a code, whole 15-minute blocks first, then the most minutes left over."""
    minutes: dict[str, int] = {}
    for code, spent in rows:
        minutes[code] = minutes.get(code, 0) + spent
    per_code = dict(care.cpt_units(minutes).units)
    out = [0] * len(rows)
    for code, total in per_code.items():
        mine = sorted((i for i, r in enumerate(rows) if r[0] == code), key=lambda i: -rows[i][1])
        if code not in TIMED_CPT:
            out[mine[0]] = total  # untimed: billed once, whatever the minutes
            continue
        for i in mine:
            out[i] = rows[i][1] // 15
        left = total - sum(out[i] for i in mine)
        for n in range(left):
            ranked = sorted(mine, key=lambda i: (-(rows[i][1] % 15), i))
            out[ranked[n % len(ranked)]] += 1
    return out


def score_reassessment(
    odi: list[int | None] | None, psfs: list[dict[str, Any]] | None
) -> tuple[Any, Any]:
    """(ODI score, PSFS score) from the core; NotScored says why a measure was refused."""
    odi_score = care.score_odi(tuple(odi)) if odi is not None else None
    items = tuple(PsfsItem(i["activity"], float(i["score"])) for i in psfs or ())
    psfs_score = care.score_psfs(items) if items else None
    return odi_score, psfs_score


def _ensure_clinician(by: Any, episode: Episode) -> None:
    if staff_role(by) not in CLINICAL_ROLES:
        raise PermissionDenied("Only a therapist or clinic manager writes a visit note.")
    if not episodes_visible_to(by).filter(pk=episode.pk).exists():
        raise PermissionDenied("This episode is not at your clinics.")


def previous_tier(episode: Episode, plan: PlanOfCare) -> str | None:
    last = episode.visits.order_by("-number").first()
    if last is not None and last.triage.get("tier"):
        return str(last.triage["tier"])
    return plan.proposal.get("triage", {}).get("tier")


def screen(episode: Episode, number: int, day: dt.date, positives: set[str],
           tier_before: str | None) -> tuple[dict[str, Any], Any, Any]:  # fmt: skip
    """(red flags asked, triage, safety verdicts) for this visit, from the care core.

    Red flags ticked today are new findings: a clearance given before does not cover them.
    """
    intake, evaluation = intake_of(episode), latest_evaluation(episode)
    answers = intake.answers if intake else {}
    in_person = evaluation.in_person if evaluation else {}
    earlier = mapping.merged_answers(answers, in_person).get("red_flags", {})
    flags = mapping.merged_red_flags(earlier, positives)
    data = mapping.visit_case(
        answers, evaluation.exam if evaluation else {},
        episode.patient.date_of_birth, day=day, number=number, red_flags=flags,
        previous_tier=tier_before, in_person=in_person,
        clearance=holds.clearance_for(episode, new_findings=positives),
    )  # fmt: skip
    try:
        case = care.parse_case(data)
    except care.CaseError as error:
        raise VisitError(f"The record cannot be screened: {error.field}: {error.reason}") from None
    result = care.triage(case)
    return flags, result, care.safety(case, result)


def _unsafe(delivered: list[Delivered], verdicts: Any, plan: PlanOfCare) -> list[str]:
    """What may not be delivered today: contraindicated and not overridden with a written
    reason in the signed plan, or not until cleared (relative), which no override lifts."""
    overridden = {e.get("intervention") for e in el.active(plan.elements) if e.get("override")}
    held = {v.intervention: v for v in verdicts
            if v.verdict == "relative" or (v.verdict == "contraindicated"
                                           and v.intervention not in overridden)}  # fmt: skip
    return [_refusal(held[d.intervention]) for d in delivered if d.intervention in held]


def _refusal(verdict: Any) -> str:
    deciding = (r.finding for r in verdict.reasons if r.verdict == verdict.verdict)
    why = "; ".join(dict.fromkeys(deciding))
    name = INTERVENTION_LABELS.get(verdict.intervention, verdict.intervention)
    held = REFUSED[verdict.verdict]
    return f"{name}: {held} ({why})"


# How a refused intervention is said on the visit form.
REFUSED = {"contraindicated": "contraindicated today", "relative": "not until cleared"}


def _store_scores(visit: Visit, nprs: int, odi: Any, psfs: Any) -> None:
    common = {"episode": visit.episode, "measured_on": visit.performed_on}
    rows = [OutcomeScore(instrument="nprs", value=nprs, source="visit", loinc=NPRS_LOINC,
                         details={"visit": visit.number}, **common)]  # fmt: skip
    if isinstance(odi, OdiScore):
        rows.append(OutcomeScore(instrument="odi", value=odi.percent, source="reassessment",
                                 loinc=ODI_LOINC, details={"band": odi.band,
                                 "visit": visit.number}, **common))  # fmt: skip
    if isinstance(psfs, PsfsScore):
        items = [{"activity": i.activity, "score": i.score} for i in psfs.items]
        rows.append(OutcomeScore(instrument="psfs", value=psfs.mean, source="reassessment",
                                 details={"items": items, "visit": visit.number},
                                 **common))  # fmt: skip
    OutcomeScore.objects.bulk_create(rows)


def _changes(base: Baseline, nprs: int, odi: Any, psfs: Any) -> list[dict[str, Any]]:
    """Change against the baseline and the meaningful-change thresholds (MCID-*)."""
    out = []
    if base.nprs is not None:
        out.append(care.nprs_change(base.nprs, nprs))
    if base.odi is not None and isinstance(odi, OdiScore):
        out.append(care.odi_change(base.odi, odi.percent))
    if base.psfs is not None and isinstance(psfs, PsfsScore):
        out.append(care.psfs_change(base.psfs, psfs.mean))
    return [dataclasses.asdict(c) for c in out]


def _progression(episode: Episode, base: Baseline, data: VisitInput, odi: Any,
                 plan: PlanOfCare, psfs: Any = None) -> dict[str, Any]:  # fmt: skip
    """The next step from the plan's current phase (PROG-1 or PROG-2), inputs from the record
    as `progression.py` derives them (weeks tolerated, PSFS, ODI when not re-assessed)."""
    current = {
        "nprs": data.nprs,
        "odi": odi.percent if isinstance(odi, OdiScore) else prog.latest_odi(episode),
        "symptom_course": data.symptom_course,
        "flare_24h": data.flare_24h,
        "psfs_scores": prog.psfs_scores(episode, psfs),
        "goals_need_loading": data.goals_need_loading,
    }
    baseline_point = care.ProgressPoint(nprs=base.nprs, odi=base.odi)
    return prog.check(episode, plan, baseline_point, current, data.performed_on)


def _interventions(visit: Visit, delivered: list[Delivered]) -> None:
    units = split_units([(d.cpt, d.minutes) for d in delivered])
    VisitIntervention.objects.bulk_create(
        VisitIntervention(visit=visit, intervention=d.intervention, cpt=d.cpt,
                          minutes=d.minutes, units=u, notes=d.notes[:300])
        for d, u in zip(delivered, units, strict=True)
    )  # fmt: skip


def _visit_row(episode: Episode, by: Any, number: int, data: VisitInput) -> Visit:
    return Visit(
        episode=episode, appointment=data.appointment, therapist=by.staff_member, number=number,
        performed_on=data.performed_on, subjective=data.subjective, objective=data.objective,
        assessment=data.assessment, plan_text=data.plan_text, nprs=data.nprs,
    )  # fmt: skip


@transaction.atomic
def visit_record(*, by: Any, episode: Episode, data: VisitInput) -> Visit:
    """Writes the visit note (unsigned). EMERGENCY triage keeps only the screen and the NPRS."""
    _ensure_clinician(by, episode)
    Episode.objects.select_for_update().filter(pk=episode.pk).first()  # serialises numbering
    plan = signed_plan(episode)
    if plan is None:
        raise VisitError("Sign a plan of care before writing treatment visits.")
    number = (episode.visits.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    flags, triage, verdicts = screen(
        episode, number, data.performed_on, data.positive_flags, previous_tier(episode, plan)
    )
    visit = _visit_row(episode, by, number, data)
    visit.red_flags, visit.triage = flags, dataclasses.asdict(triage)
    if triage.tier == EMERGENCY:
        visit.save()
        _store_scores(visit, data.nprs, None, None)
        _recorded(by, visit, Action.CREATE, "")  # no triage in the trail: it is health data
        _hold(by, episode, triage, visit)
        return visit
    problems = _unsafe(data.delivered, verdicts, plan)
    if problems:
        raise VisitError("Not delivered: " + " | ".join(problems))
    odi, psfs = score_reassessment(data.odi, data.psfs) if is_reassessment(number) else (None,) * 2
    base = baseline(episode, intake_of(episode))
    visit.progression = _progression(episode, base, data, odi, plan, psfs) | {
        "change": _changes(base, data.nprs, odi, psfs),
        "reassessment": is_reassessment(number),
    }
    visit.save()
    _interventions(visit, data.delivered)
    _store_scores(visit, data.nprs, odi, psfs)
    _recorded(by, visit, Action.CREATE, "reassessment" if is_reassessment(number) else "")
    _hold(by, episode, triage, visit)
    return visit


def _hold(by: Any, episode: Episode, triage: Any, visit: Visit) -> None:
    """A referral at this visit puts later visits on hold until a medical clearance."""
    holds.hold_open(by=by, episode=episode, triage=triage, source="visit",
                    now=visit.created_at, visit=visit)  # fmt: skip


def _recorded(by: Any, visit: Visit, action: str, reason: str) -> None:
    """The audit row of a write, in its transaction: the note with its scores and billing."""
    audit.record(
        action, by=by, object_type="visit", object_id=visit.pk,
        patient_id=visit.episode.patient_id, clinic_id=visit.episode.clinic_id, reason=reason,
    )  # fmt: skip


def _locked_unsigned(visit: Visit) -> Visit:
    locked = Visit.objects.select_for_update().select_related("episode").get(pk=visit.pk)
    if locked.signed_at is not None:
        raise VisitError("This note is signed: it can no longer be changed.")
    return locked


@transaction.atomic
def visit_update_note(*, by: Any, visit: Visit, fields: dict[str, str]) -> Visit:
    """The SOAP text of an unsigned note; the screen, scores and billing stay as recorded."""
    _ensure_clinician(by, visit.episode)
    visit = _locked_unsigned(visit)
    for name in ("subjective", "objective", "assessment", "plan_text"):
        setattr(visit, name, fields.get(name, ""))
    visit.save(update_fields=["subjective", "objective", "assessment", "plan_text"])
    _recorded(by, visit, Action.UPDATE, "note_edited")
    return visit


@transaction.atomic
def visit_sign(*, by: Any, visit: Visit, now: dt.datetime) -> Visit:
    _ensure_clinician(by, visit.episode)
    visit = _locked_unsigned(visit)
    visit.signed_at = now
    visit.save(update_fields=["signed_at"])
    _recorded(by, visit, Action.UPDATE, "signed")
    return visit


@transaction.atomic
def visit_accept_progression(*, by: Any, visit: Visit, now: dt.datetime) -> Visit:
    """The therapist accepts the step this note's check suggested (PROG-1: symptom relief ->
    active care; PROG-2: active care -> return to full activity). The signed plan's phase moves
    and its home programme switches to the new phase's (`plans.phase`), and this note records
    who accepted it, when, the move and the new programme. Refused, with nothing changed, when
    the check did not say ready, it was accepted already, or the plan has moved meanwhile."""
    _ensure_clinician(by, visit.episode)
    visit = _locked_unsigned(visit)
    plan = signed_plan(visit.episode)
    problem = prog.refusal(visit.progression, plan)
    step = prog.step(visit.progression)
    if problem or plan is None or step is None or step.next_phase is None:
        raise VisitError(problem or "Nothing to accept.")
    try:
        moved = plan_move_phase(by=by, plan=plan, frm=step.phase, to=step.next_phase)
    except PlanError as error:
        raise VisitError(error.message) from None
    member = by.staff_member
    visit.progression["accepted"] = {
        "from": moved.old, "to": moved.new, "plan_version": plan.version,
        "by": member.display_name, "by_id": member.pk, "at": now.isoformat(),
        "home_programme": list(moved.exercises),
    }  # fmt: skip
    visit.save(update_fields=["progression"])
    _recorded(by, visit, Action.UPDATE, "progression_accepted")
    return visit
