"""The therapist's evaluation: the form, and the service that stores it.

Structured findings become the care core's "exam" section (checked by parse_case, whose message
names the field); posture, movement, triggers and the assessment stay free text.
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.audit.models import Action
from unknot.care import vocab
from unknot.records.clinical import mapping
from unknot.records.models import Episode, Evaluation
from unknot.records.selectors import episodes_visible_to

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
    performed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in vocab.DIRECTIONS:
            self.fields[f"rm_{d}"] = forms.ChoiceField(
                choices=RESPONSES, required=False, label=f"Repeated {d.replace('_', ' ')}"
            )
        for name in ROM:
            self.fields[f"rom_{name}"] = _degrees(f"Lumbar {name.replace('_', ' ')}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        data["exam"] = mapping.exam_from_fields(data)
        problem = mapping.exam_problem(data["exam"])
        if problem is not None:
            field, message = problem
            self.add_error(field, message)
        return data

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
        return {group: [self[n] for n in fields] for group, fields in names.items()}


def initial_from(evaluation: Evaluation) -> dict[str, Any]:
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
    }  # fmt: skip


def _ensure_clinician(by: Any, episode: Episode) -> None:
    if staff_role(by) not in CLINICAL_ROLES:
        raise PermissionDenied("Only a therapist or clinic manager records an evaluation.")
    if not episodes_visible_to(by).filter(pk=episode.pk).exists():
        raise PermissionDenied("This episode is not at your clinics.")


class EvaluationLocked(Exception):
    pass


def _apply(evaluation: Evaluation, data: dict[str, Any]) -> None:
    for name in ("performed_on", "posture", "movement", "triggers_discussed", "neuro_screen",
                 "assessment", "is_final"):  # fmt: skip
        setattr(evaluation, name, data[name])
    evaluation.exam = data["exam"]
    evaluation.rom = {n: data[f"rom_{n}"] for n in ROM if data.get(f"rom_{n}") is not None}
    evaluation.palpation = {
        "spasm_location": data["spasm_location"],
        "tenderness_location": data["tenderness_location"],
        "severity": data["severity"],
        "segment_levels": data["segment_levels"],
        "notes": data["palpation_notes"],
    }


@transaction.atomic
def evaluation_save(
    *, by: Any, episode: Episode, data: dict[str, Any], evaluation: Evaluation | None = None
) -> Evaluation:
    """Creates or updates an evaluation; a complete (final) one is not changed again."""
    _ensure_clinician(by, episode)
    if evaluation is None:
        evaluation = Evaluation(episode=episode, therapist=by.staff_member)
    else:
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.is_final:
            raise EvaluationLocked()
    action = Action.CREATE if evaluation.pk is None else Action.UPDATE
    _apply(evaluation, data)
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
