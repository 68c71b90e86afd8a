"""A whole intake as a QuestionnaireResponse: the clinical tests' worked example, in FHIR."""

from typing import Any

from unknot.care import vocab
from unknot.fhir.questionnaires import ANSWER_SYSTEM

START_BACK = ["agree", "disagree", "agree", "disagree", "agree", "disagree", "disagree",
              "disagree", "very_much"]  # fmt: skip  # total 4, psychosocial 2: medium
ODI = [3, 2, 3, 2, 3, 2, 2, 1, 2, 3]  # 23 of 50: 46 %
PSFS = [("lifting boxes", 2), ("sitting an hour", 4), ("tying shoes", 3)]  # mean 3
FABQ = [3, 4, 3, 2, 3, 2, 2, 1, 2, 1, 2, 1, 1, 0, 2, 1]  # physical activity 12, work 12


def choice(code: Any) -> list[dict[str, Any]]:
    return [{"valueCoding": {"system": ANSWER_SYSTEM, "code": str(code)}}]


def group(link_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"linkId": link_id, "item": items}


def intake_items(flags: dict[str, bool] | None = None, nprs: int = 7) -> list[dict[str, Any]]:
    flags = dict.fromkeys(vocab.RED_FLAGS, False) | (flags or {})
    psfs = []
    for n, (activity, score) in enumerate(PSFS, start=1):
        psfs.append({"linkId": f"psfs.{n}.activity", "answer": [{"valueString": activity}]})
        psfs.append({"linkId": f"psfs.{n}.score", "answer": [{"valueInteger": score}]})
    return [
        group("start-back", [{"linkId": f"start-back.{n}", "answer": choice(a)}
                             for n, a in enumerate(START_BACK, start=1)]),
        group("odi", [{"linkId": f"odi.{n}", "answer": choice(a)} for n, a in enumerate(ODI, 1)]),
        group("nprs", [{"linkId": "nprs.1", "answer": [{"valueInteger": nprs}]}]),
        group("psfs", psfs),
        group("fabq", [{"linkId": f"fabq.{n}", "answer": choice(a)}
                       for n, a in enumerate(FABQ, 1)]),
        group("red-flags", [{"linkId": f"red-flags.{key}", "answer": [{"valueBoolean": value}]}
                            for key, value in flags.items()]),
    ]  # fmt: skip


def response(patient: Any, items: list[dict[str, Any]] | None = None, *, status: str = "completed",
             questionnaire: str = "Questionnaire/intake") -> dict[str, Any]:  # fmt: skip
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire,
        "status": status,
        "subject": {"reference": f"Patient/{patient.pk}"},
        "item": intake_items() if items is None else items,
    }
