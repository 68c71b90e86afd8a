"""Treatment visits: re-screen, NPRS, interventions with CPT units, progression, re-assessment.

Every visit re-runs the care core's triage on this visit's red-flag answers: a flag that appears
at visit 3 changes visit 3's triage (and EMERGENCY stops the visit: it is recorded with the
screen and the pain score, nothing else). A signed note is never changed again.

The questionnaires asked again come from `care.instruments`: the pain score (NPRS, asked at
every visit) and, at a re-assessment, every instrument re-measured there (`REASSESSMENT`), each
scored, stored and judged against its baseline through its own instrument.
"""

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from unknot import audit, care
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking.models import Appointment
from unknot.care import instruments
from unknot.care.codes import INTERVENTION_CPT, TIMED_CPT
from unknot.care.instruments import FOLLOWED, REASSESSMENT, Instrument, remeasured_at
from unknot.care.instruments.base import Result
from unknot.care.instruments.odi import OdiScore
from unknot.care.labels import INTERVENTION_LABELS
from unknot.common.errors import Refused
from unknot.plans import certification, hooks
from unknot.plans import elements as el
from unknot.plans import progression as prog
from unknot.plans.models import PlanOfCare, UncertifiedSignature
from unknot.plans.phase import plan_move_phase
from unknot.plans.selectors import signed_plan
from unknot.plans.services import PlanError
from unknot.records import goals
from unknot.records.clinical import holds, mapping
from unknot.records.clinical.selectors import Baseline, baseline, intake_of, latest_evaluation
from unknot.records.models import Episode, OutcomeScore, Visit, VisitIntervention
from unknot.records.selectors import ensure_clinician

EMERGENCY = "EMERGENCY_SAME_DAY"
NPRS = instruments.by_key("nprs")  # asked at every visit (Visit.nprs)


class VisitError(Refused):
    """A visit note that cannot be written as asked; `message` is written for the therapist."""


def reassess_every() -> int:
    """UNKNOT_REASSESS_EVERY_VISITS (default 4): every instrument re-measured at a
    re-assessment (`care.instruments.remeasured_at(REASSESSMENT)`) is asked again at these
    visits."""
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
    # At a re-assessment: each instrument's answers by its key, as a case holds them
    # (`questionnaires.<key>`: ODI's ten sections, PSFS's [{"activity", "score"}], ...).
    reassessment: dict[str, Any] = field(default_factory=dict)
    appointment: Appointment | None = None
    includes_progress_report: bool = False  # PROGRESS-1 (plans.certification counts it)


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


def reassessed() -> tuple[Instrument, ...]:
    """The instruments asked again at a re-assessment, in the registry's order."""
    return remeasured_at(REASSESSMENT)


def score_reassessment(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Each re-assessment instrument's score by its key, from the core (a NotScored says why it
    was refused); an instrument whose answers are not given is left out."""
    return {
        i.key: i.score(i.parse(answers[i.key]), care.DEFAULT_SETTINGS)
        for i in reassessed()
        if answers.get(i.key) is not None
    }


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


def _measured(nprs: int, scores: Mapping[str, Any]) -> list[tuple[str, Result]]:
    """(source, stored row) of what this visit measured: the pain score, then each re-assessment
    instrument's rows (none for one not given or refused)."""
    pain = NPRS.score(NPRS.parse(nprs), care.DEFAULT_SETTINGS)
    rows = [("visit", row) for row in NPRS.rows(pain)]
    rows += [("reassessment", row) for i in reassessed() for row in i.rows(scores.get(i.key))]
    return rows


def _store_scores(visit: Visit, nprs: int, scores: Mapping[str, Any]) -> None:
    """The visit's scores; a re-assessed PSFS also rates each of the person's goals."""
    stored = OutcomeScore.objects.bulk_create(
        OutcomeScore(episode=visit.episode, measured_on=visit.performed_on, source=source,
                     instrument=row.measure, value=row.value, loinc=row.loinc,
                     details=row.details | {"visit": visit.number})
        for source, row in _measured(nprs, scores)
    )  # fmt: skip
    goals.ratings_from_psfs(stored, by=visit.therapist.user, now=visit.created_at)


def _changes(base: Baseline, nprs: int, scores: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Change against the baseline of every followed measure taken at this visit, judged by its
    meaningful change (MCID-*)."""
    now = {row.measure: row.value for _, row in _measured(nprs, scores)}
    return [
        dataclasses.asdict(m.change(baseline, now[m.key], care.DEFAULT_SETTINGS))
        for m in FOLLOWED
        if m.key in now and (baseline := base.of(m.key)) is not None
    ]


def _progression(episode: Episode, base: Baseline, data: VisitInput,
                 scores: Mapping[str, Any], plan: PlanOfCare) -> dict[str, Any]:  # fmt: skip
    """The next step from the plan's current phase (PROG-1 or PROG-2), inputs from the record
    as `progression.py` derives them (weeks tolerated, PSFS, ODI when not re-assessed)."""
    odi = scores.get("odi")
    current = {
        "nprs": data.nprs,
        "odi": odi.percent if isinstance(odi, OdiScore) else prog.latest_odi(episode),
        "symptom_course": data.symptom_course,
        "flare_24h": data.flare_24h,
        "psfs_scores": prog.psfs_scores(episode, scores.get("psfs")),
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


def _visit_row(episode: Episode, by: User, number: int, data: VisitInput) -> Visit:
    return Visit(
        episode=episode, appointment=data.appointment, therapist=by.staff_member, number=number,
        performed_on=data.performed_on, subjective=data.subjective, objective=data.objective,
        assessment=data.assessment, plan_text=data.plan_text, nprs=data.nprs,
        includes_progress_report=data.includes_progress_report,
    )  # fmt: skip


@transaction.atomic
def visit_record(*, by: User, episode: Episode, data: VisitInput) -> Visit:
    """Writes the visit note (unsigned). EMERGENCY triage keeps only the screen and the NPRS."""
    ensure_clinician(by, episode)
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
        visit.includes_progress_report = False  # no treatment, so no report either
        visit.save()
        _store_scores(visit, data.nprs, {})
        _recorded(by, visit, Action.CREATE, "")  # no triage in the trail: it is health data
        _hold(by, episode, triage, visit)
        return visit
    problems = _unsafe(data.delivered, verdicts, plan)
    if problems:
        raise VisitError("Not delivered: " + " | ".join(problems))
    scores = score_reassessment(data.reassessment) if is_reassessment(number) else {}
    base = baseline(episode, intake_of(episode))
    visit.progression = _progression(episode, base, data, scores, plan) | {
        "change": _changes(base, data.nprs, scores),
        "reassessment": is_reassessment(number),
    }
    visit.save()
    _interventions(visit, data.delivered)
    _store_scores(visit, data.nprs, scores)
    _recorded(by, visit, Action.CREATE, "reassessment" if is_reassessment(number) else "")
    _hold(by, episode, triage, visit)
    return visit


def _hold(by: User, episode: Episode, triage: Any, visit: Visit) -> None:
    """A referral at this visit puts later visits on hold until a medical clearance."""
    holds.hold_open(by=by, episode=episode, triage=triage, source="visit",
                    now=visit.created_at, visit=visit)  # fmt: skip


def _recorded(by: User, visit: Visit, action: str, reason: str) -> None:
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
def visit_update_note(*, by: User, visit: Visit, fields: Mapping[str, Any]) -> Visit:
    """The SOAP text of an unsigned note, and whether it includes a progress report (left as
    it was when not given); the screen, scores and billing stay as recorded."""
    ensure_clinician(by, visit.episode)
    visit = _locked_unsigned(visit)
    for name in ("subjective", "objective", "assessment", "plan_text"):
        setattr(visit, name, fields.get(name, ""))
    if visit.triage.get("tier") != EMERGENCY:  # an emergency stop is no treatment to report on
        marked = fields.get("includes_progress_report", visit.includes_progress_report)
        visit.includes_progress_report = bool(marked)
    visit.save(update_fields=[
        "subjective", "objective", "assessment", "plan_text", "includes_progress_report"
    ])  # fmt: skip
    _recorded(by, visit, Action.UPDATE, "note_edited")
    return visit


@transaction.atomic
def visit_sign(*, by: User, visit: Visit, now: dt.datetime, reason: str = "") -> Visit:
    """Signs and locks the note. A treatment past the certification's due date without a
    certified plan (`certification.missing_certification`) is refused unless the therapist
    writes why (kept with the note, and the signature is audited as such)."""
    ensure_clinician(by, visit.episode)
    visit = _locked_unsigned(visit)
    missing = None
    if visit.triage.get("tier") != EMERGENCY:
        missing = certification.missing_certification(visit.episode, visit.performed_on)
    why = reason.strip()
    if missing and not why:
        raise VisitError(f"{missing} Write why you sign this treatment note without it.")
    if len(why) > OVERRIDE_REASON_MAX:
        raise VisitError(f"Keep the reason under {OVERRIDE_REASON_MAX} characters.")
    visit.signed_at = now
    visit.save(update_fields=["signed_at"])
    if missing:
        UncertifiedSignature.objects.create(visit=visit, reason=why, by=by.staff_member, at=now)
    _recorded(by, visit, Action.UPDATE, "signed_uncertified" if missing else "signed")
    hooks.run_after_visit_signed(visit, by, now)  # the charge (billing), in this transaction
    return visit


OVERRIDE_REASON_MAX = 1000


@transaction.atomic
def visit_accept_progression(*, by: User, visit: Visit, now: dt.datetime) -> Visit:
    """The therapist accepts the step this note's check suggested (PROG-1: symptom relief ->
    active care; PROG-2: active care -> return to full activity). The signed plan's phase moves
    and its home programme switches to the new phase's (`plans.phase`), and this note records
    who accepted it, when, the move and the new programme. Refused, with nothing changed, when
    the check did not say ready, it was accepted already, or the plan has moved meanwhile."""
    ensure_clinician(by, visit.episode)
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
