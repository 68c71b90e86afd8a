"""The signed plan's phase moving on, and its home programme switching with it (RULES section 3).

When the therapist accepts a progression suggestion (PROG-1 symptom relief -> active care,
PROG-2 active care -> return to full activity), the plan's `current_phase` moves and, in the
same transaction, its `HomeExercise` rows are replaced by the new phase's programme:

- the care core's home programme for this episode's case at the new phase (PLAN-HEP: safe
  exercises of that phase, sized to the minutes the person has; in the return-to-activity
  phase the loaded weight training leads, with the progressive-loading rule in each
  exercise's progression text);
- plus the home exercises the therapist added to the plan (elements of origin "therapist"
  with an exercise key) that belong to the new phase or to no phase, unless already there.

The core's programme comes from `care.home_programme_for(case, phase)` on the planning case
(`services.case_for`): the same PLAN-HEP choice `assess` makes for the plan's current phase.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from unknot import audit, care
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.care.labels import PHASE_LABELS, label
from unknot.plans import elements as el
from unknot.plans import services
from unknot.plans.models import HomeExercise, PlanOfCare, PlanStatus
from unknot.records.models import Episode


@dataclass(frozen=True)
class PhaseMove:
    old: str
    new: str
    exercises: tuple[str, ...]  # the new home programme's exercise keys, in order


def phase_label(phase: str | None) -> str:
    return label(PHASE_LABELS, phase)


def programme_for(episode: Episode, phase: str) -> Any:
    """The care core's home programme (care HomeProgramme) for this episode at `phase`."""
    try:
        case = care.parse_case(services.case_for(episode))
    except care.CaseError as error:
        raise services.PlanError(
            f"The record cannot be assessed: {error.field}: {error.reason}"
        ) from None
    programme = care.home_programme_for(case, phase)
    if programme is None:  # triage withholds any plan (emergency)
        raise services.PlanError(
            f"The care core plans no home programme for {phase_label(phase).lower()} now: "
            "the red-flag screen calls for emergency care."
        )
    return programme


def _added_by_therapist(plan: PlanOfCare, phase: str) -> list[dict[str, Any]]:
    return [e for e in el.active(plan.elements)
            if e.get("origin") == "therapist" and e.get("exercise_key")
            and e.get("phase") in (phase, None, "")]  # fmt: skip


def home_rows(plan: PlanOfCare, phase: str, programme: Any) -> list[HomeExercise]:
    """The new phase's rows: the core's programme, then the therapist's own additions."""
    doses = {ex.id: ex.dose for ex in programme.exercises}
    library = {ex.id: ex.dose for ex in care.exercise_library()}
    for element in _added_by_therapist(plan, phase):
        key = element["exercise_key"]
        if element.get("dose"):
            doses[key] = element["dose"]  # the therapist's own dose wins
        else:
            doses.setdefault(key, library.get(key, ""))
    return [HomeExercise(plan=plan, exercise_key=key, dose=dose[:200], order=n)
            for n, (key, dose) in enumerate(doses.items())]  # fmt: skip


def _locked_at(plan: PlanOfCare, phase: str) -> PlanOfCare:
    locked = PlanOfCare.objects.select_for_update().select_related("episode").get(pk=plan.pk)
    if locked.status != PlanStatus.SIGNED:
        raise services.PlanError(
            "This plan is no longer the signed one (a newer version was signed): nothing changed."
        )
    if locked.current_phase != phase:
        raise services.PlanError(
            f"The plan has moved since this suggestion: it is now in "
            f"{phase_label(locked.current_phase).lower()}. Nothing changed."
        )
    return locked


@transaction.atomic
def plan_move_phase(*, by: User, plan: PlanOfCare, frm: str, to: str) -> PhaseMove:
    """Moves the signed plan from `frm` to `to` and switches its home programme, all of it or
    nothing. PlanError (nothing changed) when the plan is no longer at `frm` or no longer the
    signed version, or when the core plans no home programme at `to`."""
    locked = _locked_at(plan, frm)
    old = services.plan_phase_change(by=by, plan=locked, to=to)  # checks who may, first
    rows = home_rows(locked, to, programme_for(locked.episode, to))  # refused: all rolled back
    HomeExercise.objects.filter(plan=locked).delete()
    HomeExercise.objects.bulk_create(rows)
    audit.record(
        Action.UPDATE, by=by, object_type="plan", object_id=locked.pk,
        patient_id=locked.episode.patient_id, clinic_id=locked.episode.clinic_id,
        reason="home_programme_switched",
    )  # fmt: skip
    return PhaseMove(old, to, tuple(r.exercise_key for r in rows))
