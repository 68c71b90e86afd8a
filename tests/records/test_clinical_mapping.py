"""Rows <-> the care core's input: the exam shape, the planning case and the visit re-screen."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.web import matrix_clinical as mc
from unknot import care
from unknot.care import vocab
from unknot.records.clinical import mapping
from unknot.records.models import Evaluation

FIELDS = {
    "hip_ir_left": 38, "hip_ir_right": 34, "slr_left": 80, "slr_right": None,
    "hypomobile_segment": "yes", "aberrant_movement": "no", "prone_instability_test": "",
    "crossed_slr": "", "neuro_deficit": "no", "irritability": "moderate", "symptom_course": "",
    "rm_extension": "centralises", "rm_flexion": "peripheralises", "rm_rotation": "",
}  # fmt: skip


def test_form_fields_become_the_core_exam_shape_leaving_out_what_was_not_tested() -> None:
    exam = mapping.exam_from_fields(FIELDS)
    assert exam == {
        "hip_internal_rotation": {"left": 38, "right": 34},
        "slr": {"left": 80},
        "repeated_movements": {"extension": "centralises", "flexion": "peripheralises"},
        "hypomobile_segment": True,
        "aberrant_movement": False,
        "neuro_deficit": False,
        "irritability": "moderate",
    }
    parsed = care.parse_case({"exam": exam}).exam
    assert parsed.hip_ir_left == 38 and parsed.slr_right is None
    assert parsed.directions("centralises") == ("extension",)


def test_the_exam_round_trips_through_the_form() -> None:
    exam = mapping.exam_from_fields(FIELDS)
    assert mapping.exam_from_fields(mapping.fields_from_exam(exam)) == exam


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hip_ir_left": 200}, "hip_ir_left", "exam.hip_internal_rotation.left: must be at most"),
        ({"slr_right": -45}, "slr_right", "exam.slr.right: must be at least -30"),
    ],
)
def test_the_core_schema_validates_each_field_with_its_own_message(
    changes: dict, field: str, words: str
) -> None:
    problem = mapping.exam_problem(mapping.exam_from_fields(FIELDS | changes))
    assert problem is not None
    assert problem[0] == field
    assert problem[1].startswith(words)


def test_the_planning_case_is_intake_plus_exam_plus_age_on_the_evaluation_day() -> None:
    answers = mc.intake_answers(patient={"sex": "male", "date_of_birth": "1980-01-01"})
    data = mapping.plan_case(answers, mc.EXAM, dt.date(1985, 6, 1), dt.date(2031, 5, 31))
    assert data["patient"] == {"sex": "male", "age": 45}  # the record's birth date, not a copy
    assert data["visit"] == {"kind": "initial", "number": 1, "date": "2031-05-31"}
    assert data["exam"] == mc.EXAM
    result = care.assess(care.parse_case(data))
    assert result.plan.status == "planned"
    assert result.classification.manipulation_rule.result == "positive"


def test_a_visit_screen_asks_every_key_and_keeps_history_said_at_intake() -> None:
    flags = mapping.merged_red_flags({"smoker": True, "saddle_anaesthesia": False},
                                     {"bladder_dysfunction"})  # fmt: skip
    assert set(flags) == set(vocab.RED_FLAGS)
    assert flags["smoker"] and flags["bladder_dysfunction"]
    assert not flags["saddle_anaesthesia"]


def _post(client, url, **changes):  # type: ignore[no-untyped-def]
    data = {"performed_on": "2031-03-03", "posture": "flattened lumbar lordosis",
            "movement": "guarded flexion", "triggers_discussed": "lifting boxes at work",
            "spasm_location": "left L4-L5 paraspinals", "severity": "6",
            "hypomobile_segment": "yes", "segment_levels": "L4-L5", "hip_ir_left": "38",
            "hip_ir_right": "34", "slr_left": "80", "slr_right": "85",
            "rm_extension": "centralises", "rom_flexion": "40", "irritability": "moderate",
            "neuro_deficit": "no", "is_final": "on"} | changes  # fmt: skip
    return client.post(url, data)


def test_the_evaluation_page_stores_the_exam_and_shows_the_intake_beside_it(cast, client):
    made = mc.episode(cast)
    client.force_login(cast.therapist_a)
    url = reverse("clinical:evaluation_new", args=[made.pk])
    page = client.get(url)
    assert b"Red flags answered yes" in page.content and b"STarT Back" in page.content
    response = _post(client, url)
    assert response.status_code == 302
    saved = Evaluation.objects.get(episode=made)
    assert saved.exam["hip_internal_rotation"] == {"left": 38, "right": 34}
    assert saved.exam["repeated_movements"] == {"extension": "centralises"}
    assert saved.palpation["spasm_location"] == "left L4-L5 paraspinals"
    assert saved.rom == {"flexion": 40}
    assert saved.is_final


def test_a_value_the_core_refuses_is_shown_on_its_field_and_nothing_is_saved(cast, client):
    made = mc.episode(cast)
    client.force_login(cast.therapist_a)
    response = _post(client, reverse("clinical:evaluation_new", args=[made.pk]), slr_left="500")
    assert response.status_code == 200
    assert b"exam.slr.left: must be at most 180, got 500" in response.content
    assert not Evaluation.objects.exists()


def test_a_complete_evaluation_is_not_edited(cast, client):
    done = mc.evaluate(cast, mc.episode(cast))
    client.force_login(cast.therapist_a)
    response = _post(client, reverse("clinical:evaluation_edit", args=[done.pk]), posture="x")
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.posture == ""
