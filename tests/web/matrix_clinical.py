"""Access matrix rows for the clinical URLs (see test_access_matrix.py), and the clinical
builders the clinical and plan tests share: an episode of patient P at clinic A with an intake,
an evaluation, a plan and visits, all made through the services the pages use.
"""

import copy
import datetime as dt
from typing import Any

from tests.web import matrix_support as m
from unknot.care import vocab
from unknot.plans import services as plans
from unknot.plans import visits
from unknot.records.models import Episode, Evaluation, Intake

NOW = dt.datetime(2031, 3, 3, 12, 0, tzinfo=dt.UTC)
DAY = dt.date(2031, 3, 3)

# A desk worker who strained their back lifting five days ago: care-core input, no exam.
INTAKE: dict[str, Any] = {
    "patient": {"sex": "female"},
    "episode": {"duration_days": 5, "causes": ["lifting"], "pain_side": "central",
                "below_knee": False, "spasm": True},
    "red_flags": dict.fromkeys(vocab.RED_FLAGS, False),
    "conditions": [],
    "medicines": [],
    "questionnaires": {
        "start_back": [True, False, True, False, True, False, False, False, "very_much"],
        "odi": [3, 2, 3, 2, 3, 2, 2, 1, 2, 3],
        "nprs": 7,
        "psfs": [{"activity": "lifting boxes", "score": 2},
                 {"activity": "sitting an hour", "score": 4},
                 {"activity": "tying shoes", "score": 3}],
        "fabq": [3, 4, 3, 2, 3, 2, 2, 1, 2, 1, 2, 1, 1, 0, 2, 1],
    },
    "lifestyle": {"work": ["desk"], "activity_level": "light", "goals": ["lift my toddler"],
                  "home_minutes_per_day": 15, "visits_per_week": 2},
}  # fmt: skip
EXAM: dict[str, Any] = {
    "hip_internal_rotation": {"left": 38, "right": 34},
    "hypomobile_segment": True,
    "slr": {"left": 80, "right": 85},
    "repeated_movements": {"extension": "centralises"},
    "irritability": "moderate",
}


def intake_answers(**changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(INTAKE)
    answers.update(changes)
    return answers


def episode(cast: Any, answers: dict[str, Any] | None = None, **fields: Any) -> Episode:
    made = Episode.objects.create(
        patient=fields.get("patient", cast.patient_p),
        clinic=fields.get("clinic", cast.clinic_a),
        therapist=fields.get("therapist", cast.therapist_a.staff_member),
    )
    Intake.objects.create(episode=made, answers=intake_answers() if answers is None else answers)
    return made


def evaluate(cast: Any, made: Episode, exam: dict[str, Any] | None = None) -> Evaluation:
    return Evaluation.objects.create(
        episode=made, therapist=made.therapist or cast.therapist_a.staff_member,
        performed_on=DAY, exam=EXAM if exam is None else exam, is_final=True,
    )  # fmt: skip


def draft(cast: Any, made: Episode) -> Any:
    if not made.evaluations.exists():
        evaluate(cast, made)
    return plans.plan_propose(by=cast.therapist_a, episode=made)


def sign(cast: Any, plan: Any, series: Any = None) -> list[Any]:
    goals = plans.suggested_goals(plan.episode, plan.duration_weeks)
    plans.plan_set_goals(by=cast.therapist_a, plan=plan, frequency=plan.frequency_per_week,
                         weeks=plan.duration_weeks, goals=goals)  # fmt: skip
    return plans.plan_sign(by=cast.therapist_a, plan=plan, now=NOW, series=series)


def signed(cast: Any, made: Episode | None = None) -> Any:
    made = made or episode(cast)
    plan = draft(cast, made)
    sign(cast, plan)
    plan.refresh_from_db()
    return plan


def visit(cast: Any, made: Episode, **data: Any) -> Any:
    values: dict[str, Any] = {"performed_on": DAY, "nprs": 6, "positive_flags": set()} | data
    return visits.visit_record(by=cast.therapist_a, episode=made, data=visits.VisitInput(**values))


# --- matrix rows --------------------------------------------------------------------------


def episode_a(cast: Any) -> dict[str, Any]:
    return {"episode_id": episode(cast).pk}


def evaluation_a(cast: Any) -> dict[str, Any]:
    made = evaluate(cast, episode(cast))
    made.is_final = False
    made.save()
    return {"evaluation_id": made.pk}


def plan_a(cast: Any) -> dict[str, Any]:
    return {"plan_id": draft(cast, episode(cast)).pk}


def element_a(cast: Any) -> dict[str, Any]:
    return plan_a(cast) | {"key": "e1"}


def visit_a(cast: Any) -> dict[str, Any]:
    plan = signed(cast)
    return {"visit_id": visit(cast, plan.episode).pk}


def hold_a(cast: Any) -> dict[str, Any]:
    """An open referral of clinic A's episode: a visit where the person reports weight loss."""
    plan = signed(cast)
    visit(cast, plan.episode, positive_flags={"unexplained_weight_loss"})
    return {"hold_id": plan.episode.holds.get().pk}


WRITE_PAGE = m.staff_page(therapist_b=404, auditor=403, front_desk_a=403)
POST_ONLY = m.everyone(405)

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "clinical:caseload": (None, m.staff_page()),
    "clinical:patient_episodes": (m.patient_p, m.staff_page(therapist_b=404)),
    "clinical:episode": (episode_a, m.staff_page(therapist_b=404)),
    "clinical:evaluation_new": (episode_a, WRITE_PAGE),
    "clinical:evaluation": (evaluation_a, m.staff_page(therapist_b=404)),
    "clinical:evaluation_edit": (evaluation_a, WRITE_PAGE),
    "clinical:plan_propose": (episode_a, POST_ONLY),
    "clinical:plan": (plan_a, m.staff_page(therapist_b=404)),
    "clinical:plan_revise": (plan_a, POST_ONLY),
    "clinical:plan_element_add": (plan_a, POST_ONLY),
    "clinical:plan_element_remove": (element_a, POST_ONLY),
    "clinical:plan_element_dose": (element_a, POST_ONLY),
    "clinical:plan_element_override": (element_a, POST_ONLY),
    "clinical:plan_goals": (plan_a, WRITE_PAGE),
    "clinical:plan_sign": (plan_a, WRITE_PAGE),
    "clinical:visit_new": (episode_a, WRITE_PAGE),
    "clinical:visit": (visit_a, m.staff_page(therapist_b=404)),
    "clinical:visit_edit": (visit_a, WRITE_PAGE),
    "clinical:visit_sign": (visit_a, POST_ONLY),
    "clinical:visit_accept_progression": (visit_a, POST_ONLY),
    "clinical:hold_clear": (hold_a, WRITE_PAGE),
}
