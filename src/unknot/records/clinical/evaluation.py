"""The therapist's evaluation: the form, and the service that stores it.

Structured findings become the care core's "exam" section (checked by parse_case, whose message
names the field); posture, movement, triggers and the assessment stay free text. The in-person
red-flag screen (in_person.py) becomes `Evaluation.in_person`; an evaluation is completed only
on a complete screen (SCREEN-1), a draft is always saved.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import transaction

from unknot import audit, care
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.care import labels, vocab
from unknot.common import inputs
from unknot.common.errors import Refused
from unknot.records.clinical import in_person, mapping, screening
from unknot.records.clinical.selectors import intake_of
from unknot.records.models import Episode, Evaluation
from unknot.records.selectors import ensure_clinician

TRI = [("", "not tested"), ("yes", "yes / positive"), ("no", "no / negative")]
RESPONSES = [("", "not tested")] + [(r, r.replace("_", " ")) for r in vocab.RESPONSES]
ROM = ("flexion", "extension", "side_bending_left", "side_bending_right",
       "rotation_left", "rotation_right")  # fmt: skip


def _degrees(label: str) -> forms.IntegerField:
    # No bounds here on purpose: the care core's schema checks them and names the field.
    return forms.IntegerField(required=False, label=label, help_text="degrees")


def _tri(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=TRI, required=False, label=label)


def _text(label: str, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        required=False, label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class EvaluationForm(forms.Form):
    performed_on = inputs.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    posture = _text("Posture observation")
    movement = _text("Movement quality and mechanics")
    triggers_discussed = _text("Activities that trigger the spasms (discussed)")
    spasm_location = forms.CharField(required=False, max_length=200, label="Palpation: spasm")
    tenderness_location = forms.CharField(required=False, max_length=200, label="Tenderness")
    severity = forms.IntegerField(
        required=False, min_value=0, max_value=10, label="Severity of tenderness (0-10)"
    )
    segment_levels = forms.CharField(
        required=False, max_length=100, label="Hypomobile levels (e.g. L4-L5)"
    )
    palpation_notes = _text("Palpation notes", rows=2)
    hypomobile_segment = _tri("Hypomobile lumbar segment found")
    hip_ir_left = _degrees("Hip internal rotation, left")
    hip_ir_right = _degrees("Hip internal rotation, right")
    slr_left = _degrees("Straight-leg raise, left")
    slr_right = _degrees("Straight-leg raise, right")
    crossed_slr = _tri("Crossed straight-leg raise")
    aberrant_movement = _tri("Aberrant movement")
    prone_instability_test = _tri("Prone instability test")
    neuro_deficit = _tri("Neurological deficit")
    neuro_screen = _text("Neurological screen (myotomes, dermatomes, reflexes)", rows=2)
    irritability = forms.ChoiceField(
        choices=[("", "not recorded"), *((v, v) for v in vocab.IRRITABILITY)], required=False
    )
    symptom_course = forms.ChoiceField(
        choices=[("", "not recorded"), *((v, v) for v in vocab.SYMPTOM_COURSE)], required=False
    )
    assessment = _text("Assessment", rows=4)
    is_final = forms.BooleanField(
        required=False, label="The evaluation is complete (it can no longer be edited)"
    )

    def __init__(self, *args: Any, intake: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        """`intake`: the episode's intake answers, which the in-person screen starts from."""
        super().__init__(*args, **kwargs)
        self.intake = dict(intake or {})
        for d in vocab.DIRECTIONS:
            self.fields[f"rm_{d}"] = forms.ChoiceField(
                choices=RESPONSES, required=False, label=f"Repeated {d.replace('_', ' ')}"
            )
        for name in ROM:
            self.fields[f"rom_{name}"] = _degrees(f"Lumbar {name.replace('_', ' ')}")
        self.fields.update(in_person.fields(self.intake))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        data["exam"] = mapping.exam_from_fields(data)
        problem = mapping.exam_problem(data["exam"])
        if problem is not None:
            field, message = problem
            self.add_error(field, message)
        self._clean_in_person(data)
        return data

    def _clean_in_person(self, data: dict[str, Any]) -> None:
        for field, message in in_person.form_problems(data, self.intake):
            self.add_error(field, message)
        if self.errors:
            return
        data["in_person"] = in_person.from_fields(data, self.intake)
        problem = in_person.core_problem(data["in_person"], self.intake)
        if problem is not None:
            self.add_error(*problem)

    def groups(self) -> dict[str, list[Any]]:
        """Fields in the order the page shows them, grouped by part of the exam."""
        names = {
            "observation": ["posture", "movement", "triggers_discussed"],
            "rom": [f"rom_{n}" for n in ROM],
            "repeated": [f"rm_{d}" for d in vocab.DIRECTIONS],
            "palpation": ["spasm_location", "tenderness_location", "severity",
                          "hypomobile_segment", "segment_levels", "palpation_notes"],
            "tests": ["hip_ir_left", "hip_ir_right", "slr_left", "slr_right", "crossed_slr",
                      "aberrant_movement", "prone_instability_test", "irritability",
                      "symptom_course"],
            "neuro": ["neuro_deficit", "neuro_screen"],
            "summary": ["assessment", "is_final"],
        }  # fmt: skip
        grouped = {group: [self[n] for n in fields] for group, fields in names.items()}
        return grouped | in_person.groups(self)


EXAM_LABELS = {
    "hip_internal_rotation": "Hip internal rotation",
    "slr": "Straight-leg raise",
    "hypomobile_segment": "Hypomobile lumbar segment",
    "aberrant_movement": "Aberrant movement",
    "prone_instability_test": "Prone instability test",
    "crossed_slr": "Crossed straight-leg raise",
    "neuro_deficit": "Neurological deficit",
    "irritability": "Irritability",
    "repeated_movements": "Repeated movements",
    "symptom_course": "Symptom course",
    "flare_24h": "Flare over 24 h after the last dose",
    "loads_tolerated_weeks": "Loads tolerated without a flare",
}


def _exam_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ("hip_internal_rotation", "slr"):
        return ", ".join(f"{side} {degrees:g}°" for side, degrees in value.items())
    if key == "repeated_movements":
        return "; ".join(f"{labels.label(labels.DIRECTION_LABELS, d)} "
                         f"{labels.label(labels.RESPONSE_LABELS, r)}"
                         for d, r in value.items())  # fmt: skip
    if key == "symptom_course":
        return labels.label(labels.SYMPTOM_COURSE_LABELS, value)
    if key == "loads_tolerated_weeks":
        return f"{value:g} weeks"
    return str(value)


def readable_exam(exam: dict[str, Any]) -> list[tuple[str, str]]:
    """The structured findings in words, for the evaluation page (never the stored keys)."""
    return [(EXAM_LABELS.get(key, key.replace("_", " ").capitalize()), _exam_value(key, value))
            for key, value in exam.items() if value not in (None, {}, "")]  # fmt: skip


def initial_from(evaluation: Evaluation, intake: Mapping[str, Any]) -> dict[str, Any]:
    palpation = evaluation.palpation
    return {
        "performed_on": evaluation.performed_on,
        "posture": evaluation.posture,
        "movement": evaluation.movement,
        "triggers_discussed": evaluation.triggers_discussed,
        "neuro_screen": evaluation.neuro_screen,
        "assessment": evaluation.assessment,
        "is_final": evaluation.is_final,
        "palpation_notes": palpation.get("notes", ""),
        **{k: palpation.get(k) for k in ("spasm_location", "tenderness_location", "severity",
                                         "segment_levels")},
        **{f"rom_{k}": v for k, v in evaluation.rom.items()},
        **mapping.fields_from_exam(evaluation.exam),
        **in_person.initial(intake, evaluation.in_person),
    }  # fmt: skip


class EvaluationLocked(Refused):
    """Someone completed the evaluation while this edit was open: it is no longer changed."""

    def __init__(self) -> None:
        super().__init__("Someone completed this evaluation meanwhile.", "evaluation_locked")


class EvaluationRefused(Refused):
    """The evaluation cannot be saved as asked; `message` is written for the therapist."""


def _apply(evaluation: Evaluation, data: dict[str, Any]) -> None:
    for name in ("performed_on", "posture", "movement", "triggers_discussed", "neuro_screen",
                 "assessment", "is_final"):  # fmt: skip
        setattr(evaluation, name, data[name])
    evaluation.exam = data["exam"]
    evaluation.in_person = data.get("in_person", {})
    evaluation.rom = {n: data[f"rom_{n}"] for n in ROM if data.get(f"rom_{n}") is not None}
    evaluation.palpation = {
        "spasm_location": data["spasm_location"],
        "tenderness_location": data["tenderness_location"],
        "severity": data["severity"],
        "segment_levels": data["segment_levels"],
        "notes": data["palpation_notes"],
    }


def _intake_answers(episode: Episode) -> dict[str, Any]:
    intake = intake_of(episode)
    return intake.answers if intake else {}


def _keep_intake_yes(answers: Mapping[str, Any], recorded: Mapping[str, Any]) -> None:
    unsaid = in_person.unsaid_yes(answers, recorded)
    if unsaid:
        said = ", ".join(labels.fact_label(k) for k in unsaid)
        raise EvaluationRefused(f"The person said yes in the intake to: {said}. A yes from the "
                                "person stays yes; nothing was saved.")  # fmt: skip


def _ensure_screened(episode: Episode, evaluation: Evaluation, answers: Mapping[str, Any]) -> None:
    """SCREEN-1: an evaluation is complete only when every red-flag domain has an answer, from
    the intake or asked in person (read with the exam, as the plan reads it)."""
    try:
        screen = screening.screen_of(
            answers, episode.patient.date_of_birth, evaluation.performed_on,
            in_person=evaluation.in_person, exam=evaluation.exam,
        )  # fmt: skip
    except care.CaseError as error:
        message = f"The record cannot be read: {error.field}: {error.reason}"
        raise EvaluationRefused(message) from None
    if not screen.complete:
        raise EvaluationRefused(
            "The evaluation cannot be completed while the red-flag screen is open: "
            f"{screening.open_domains_text(screen)}. Ask about these in person and record the "
            "answers in the in-person screen, or save the evaluation as a draft for now."
        )


@transaction.atomic
def evaluation_save(
    *, by: User, episode: Episode, data: dict[str, Any], evaluation: Evaluation | None = None
) -> Evaluation:
    """Creates or updates an evaluation; a complete (final) one is not changed again."""
    ensure_clinician(by, episode)
    if evaluation is None:
        evaluation = Evaluation(episode=episode, therapist=by.staff_member)
    else:
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.is_final:
            raise EvaluationLocked()
    action = Action.CREATE if evaluation.pk is None else Action.UPDATE
    _apply(evaluation, data)
    answers = _intake_answers(episode)
    _keep_intake_yes(answers, evaluation.in_person)
    if evaluation.is_final:
        _ensure_screened(episode, evaluation, answers)
    evaluation.save()
    audit.record(
        action, by=by, object_type="evaluation", object_id=evaluation.pk,
        patient_id=episode.patient_id, clinic_id=episode.clinic_id,
        reason="completed" if evaluation.is_final else "",
    )  # fmt: skip
    return evaluation


def default_day(episode: Episode, now: dt.datetime) -> dt.date:
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo(episode.clinic.time_zone)).date()
