"""Access matrix rows for the care URLs (see test_access_matrix.py), and the builder of a care
episode (signed plan, home exercises, goals, scores, lessons) the care tests share.

Another patient's data answers 404: a lesson or a discharge summary that only patient P has
is "not found" for patient Q. Writes (comment, discharge) are POST-only, so a GET answers 405
for everyone; their role rules are tested with POSTs in tests/plans/test_home_*.py.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.personas import Cast
from tests.web.matrix_support import everyone, portal_page, staff_page
from unknot.care import exercise_library
from unknot.patients.models import Patient
from unknot.plans.models import EducationAssignment, HomeExercise, PlanGoal, PlanOfCare
from unknot.records.models import Episode, EpisodeStatus, OutcomeScore

EXERCISES = ("knee_to_chest", "bridge", "bird_dog")
SCORES = {  # NPRS improved (-3), ODI unchanged (-6 < min(10, 30 % of 40)), PSFS improved (+3)
    "nprs": ((dt.date(2026, 3, 2), 7), (dt.date(2026, 3, 16), 5), (dt.date(2026, 3, 30), 4)),
    "odi": ((dt.date(2026, 3, 2), 40), (dt.date(2026, 3, 30), 34)),
    "psfs": ((dt.date(2026, 3, 2), 3), (dt.date(2026, 3, 30), 6)),
}
GOALS = (  # (instrument, comparison, target, description): met, not met, met
    ("nprs", "<=", 3, "Pain at most 3 out of 10 on most days"),
    ("odi", "<=", 40, "Disability no worse than moderate"),
    ("psfs", ">=", 5, "Can lift the grocery bags into the car"),
)
TOPICS = ("lifting", "sitting", "core_strength")


def care_episode(
    patient: Patient,
    therapist: Any,
    *,
    signed_at: dt.datetime | None = None,
    exercises: tuple[str, ...] = EXERCISES,
    scores: dict[str, Any] | None = None,
    topics: tuple[str, ...] = TOPICS,
    discharged: bool = False,
) -> Episode:
    """An episode at the patient's clinic with a signed plan, built straight from the models."""
    episode = Episode.objects.create(
        patient=patient, clinic=patient.preferred_clinic, therapist=therapist.staff_member
    )
    plan = PlanOfCare.objects.create(
        episode=episode, version=1, status="signed", signed_by=therapist.staff_member,
        signed_at=signed_at or timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    library = {e.id: e for e in exercise_library()}
    for order, key in enumerate(exercises):
        HomeExercise.objects.create(
            plan=plan, exercise_key=key, dose=library[key].dose, order=order
        )
    for instrument, comparison, target, description in GOALS:
        PlanGoal.objects.create(
            plan=plan, term="short", instrument=instrument, comparison=comparison,
            target=target, weeks=6, description=description,
        )  # fmt: skip
    for instrument, points in (SCORES if scores is None else scores).items():
        for day, value in points:
            OutcomeScore.objects.create(
                episode=episode, instrument=instrument, value=value, measured_on=day,
                source="visit",
            )  # fmt: skip
    for key in topics:
        EducationAssignment.objects.create(plan=plan, topic_key=key, reason="test")
    if discharged:
        episode.status = EpisodeStatus.DISCHARGED
        episode.discharged_at = timezone.now()
        episode.save()
    return episode


def both_patients(cast: Cast) -> dict[str, Any]:
    """Both patients have their own programme: each portal page answers 200 with their own."""
    care_episode(cast.patient_p, cast.therapist_a)
    care_episode(cast.patient_q, cast.therapist_b)
    return {}


def lesson_of_p_only(cast: Cast) -> dict[str, Any]:
    care_episode(cast.patient_p, cast.therapist_a, topics=("hydration",))
    care_episode(cast.patient_q, cast.therapist_b, topics=("lifting",))
    return {"topic": "hydration"}


def p_discharged(cast: Cast) -> dict[str, Any]:
    care_episode(cast.patient_p, cast.therapist_a, discharged=True)
    care_episode(cast.patient_q, cast.therapist_b)
    return {}


def episode_of_p(cast: Cast) -> dict[str, Any]:
    return {"episode_id": care_episode(cast.patient_p, cast.therapist_a).pk}


def _clinical_page() -> dict[str, Any]:
    # Clinical pages: not for the front desk; clinic B's therapist cannot see clinic A's episode.
    return staff_page(therapist_b=404, front_desk_a=403)


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "home_programme:home": (both_patients, portal_page()),
    "home_programme:handout_pdf": (both_patients, portal_page()),
    "home_programme:log": (both_patients, portal_page()),
    "home_programme:progress": (both_patients, portal_page()),
    "home_programme:learn": (both_patients, portal_page()),
    "home_programme:learn_topic": (lesson_of_p_only, portal_page() | {"patient_q": 404}),
    "home_programme:discharge": (p_discharged, portal_page()),
    "home_programme:discharge_pdf": (p_discharged, portal_page() | {"patient_q": 404}),
    "home_programme:episode_handout_pdf": (episode_of_p, staff_page(therapist_b=404)),
    "home_programme:episode_adherence": (episode_of_p, _clinical_page()),
    "home_programme:episode_comment": (episode_of_p, everyone(405)),
    "home_programme:episode_progress": (episode_of_p, _clinical_page()),
    "home_programme:episode_report": (episode_of_p, _clinical_page()),
    "home_programme:episode_report_pdf": (episode_of_p, _clinical_page()),
    "home_programme:episode_discharge": (episode_of_p, _clinical_page()),
    "home_programme:episode_discharge_pdf": (episode_of_p, _clinical_page()),
    "home_programme:episode_discharge_confirm": (episode_of_p, everyone(405)),
}
