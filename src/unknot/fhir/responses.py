"""QuestionnaireResponse: an intake that arrives over FHIR, saved and scored like the web's.

Answers are turned into the intake pages' own form data and saved with
`records.intake.services.save_section` (the care core checks them, an emergency answer alerts
the clinic); a completed response to `Questionnaire/intake` is then sent with `submit`, which
stores the scores as OutcomeScore rows. A response reads back as the intake's stored answers
(id: the intake's id).
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404

from unknot import care
from unknot.fhir.http import FhirError, invalid
from unknot.fhir.kinds import ResourceType
from unknot.fhir.questionnaires import (
    ALL,
    ANSWER_SYSTEM,
    INSTRUMENTS,
    INTAKE,
    Question,
    QuestionnaireSpec,
)
from unknot.fhir.refs import Context, Resource, coding, instant, ref, reference_id, whole_number
from unknot.patients.selectors import get_patient_for
from unknot.records.intake import scoring, sections
from unknot.records.intake import services as intake_services
from unknot.records.models import EpisodeStatus, Intake, IntakeStatus
from unknot.records.selectors import episodes_visible_to

STATUSES = ("in-progress", "completed")
NOT_OPEN = (
    "This intake was already sent to the clinic, so its answers are no longer changed online; "
    "please tell the clinic what has changed."
)


# --- answers in ------------------------------------------------------------------------------


def _instrument(body: Resource) -> QuestionnaireSpec:
    canonical = str(body.get("questionnaire", "")).split("|")[0]
    found = ALL.get(reference_id(canonical, "Questionnaire") or "")
    if found is None:
        raise invalid(f"questionnaire must be one of this server's: {', '.join(ALL)}.")
    return found


def _value(question: Question, answer: dict[str, Any]) -> Any:
    if question.type == "boolean" and isinstance(answer.get("valueBoolean"), bool):
        return "yes" if answer["valueBoolean"] else "no"
    if question.type == "integer" and "valueInteger" in answer:
        return answer["valueInteger"]
    if question.type == "string" and "valueString" in answer:
        return answer["valueString"]
    if question.type == "choice":
        picked = answer.get("valueCoding", {})
        if picked.get("system", ANSWER_SYSTEM) != ANSWER_SYSTEM:
            raise invalid(f"{question.link_id}: answer codes are from {ANSWER_SYSTEM}.")
        code = str(picked.get("code", answer.get("valueString", answer.get("valueInteger", ""))))
        if code in {option for option, _ in question.options}:
            return code
        allowed = ", ".join(option for option, _ in question.options)
        raise invalid(f"{question.link_id}: {code!r} is not one of the answers ({allowed}).")
    kind = {"boolean": "valueBoolean", "integer": "valueInteger", "string": "valueString"}
    raise invalid(f"{question.link_id}: answer with {kind.get(question.type, 'valueCoding')}.")


Found = dict[str, tuple[Question, Any]]  # linkId -> (question, answer as form data)


def collect(instrument: QuestionnaireSpec, items: Iterable[Resource], found: Found) -> None:
    """Answers by question; an unknown linkId or two answers to one question are refused."""
    questions = {x.link_id: x for x in instrument.questions}
    groups = {link_id for link_id, _, _ in instrument.groups}
    for item in items:
        link_id = item["linkId"]
        if link_id in groups:
            if item.get("answer"):
                raise invalid(f"{link_id} is a group: answer the questions inside it.")
            collect(instrument, item.get("item", []), found)
            continue
        question = questions.get(link_id)
        if question is None:
            raise invalid(f"Unknown linkId {link_id!r} for Questionnaire/{instrument.id}.")
        answers = item.get("answer", [])
        if len(answers) > 1:
            raise invalid(f"{link_id}: give one answer.")
        if answers:
            found[link_id] = (question, _value(question, answers[0]))


def _forms(intake: Intake, found: Found, today: Any) -> list[tuple[Any, Any]]:
    """(section, bound and valid form) per intake page touched: nothing is written here."""
    chosen = []
    for section in sections.SECTIONS:
        mine = {x.field: v for x, v in found.values() if x.section == section.slug}
        if not mine:
            continue
        data = section.form.initial_from(intake.answers, intake.notes) | mine
        form = section.form(data={k: str(v) for k, v in data.items() if v is not None}, today=today)
        if not form.is_valid():
            links = {x.field: x.link_id for x, _ in found.values() if x.section == section.slug}
            problems = [
                f"{links.get(name, name)}: {' '.join(str(m) for m in errors)}"
                for name, errors in form.errors.items()
            ]
            raise invalid("; ".join(problems))
        chosen.append((section, form))
    return chosen


def _intake_of(ctx: Context, body: Resource) -> Intake:
    patient_id = whole_number(
        reference_id((body.get("subject") or {}).get("reference"), "Patient") or ""
    )
    if patient_id is None:
        raise invalid("subject must be the Patient/<id> the answers are about.")
    patient = get_patient_for(ctx.user, patient_id)
    intake = (
        Intake.objects.select_related("episode__patient", "episode__clinic", "appointment__clinic")
        .filter(episode__in=episodes_visible_to(ctx.user), episode__patient=patient,
                episode__status=EpisodeStatus.OPEN)
        .order_by("-episode__opened_at", "-pk")
        .first()
    )  # fmt: skip
    if intake is None:
        raise FhirError(422, "business-rule", "No intake is waiting for this patient: one opens "
                        "when an initial evaluation is booked.")  # fmt: skip
    return intake


def _save(ctx: Context, intake: Intake, forms: list[tuple[Any, Any]]) -> None:
    try:
        with transaction.atomic():
            for section, form in forms:
                intake_services.save_section(intake=intake, section=section, form=form, now=ctx.now)
    except care.CaseError as error:
        raise invalid(f"{error.field}: {error.reason}") from None
    except intake_services.IntakeClosed:
        raise FhirError(409, "conflict", NOT_OPEN) from None


def _submit(ctx: Context, intake: Intake) -> None:
    try:
        intake_services.submit(intake=intake, now=ctx.now)
    except intake_services.SafetyNotAnswered:
        raise FhirError(
            422,
            "business-rule",
            "Your answers are saved, but the intake was not "
            "sent: every safety question (red-flags) needs an answer first.",
        ) from None
    except intake_services.IntakeClosed:
        raise FhirError(409, "conflict", NOT_OPEN) from None


def create_response(ctx: Context, body: Resource) -> Resource:
    if body.get("status") not in STATUSES:
        raise invalid(f"status must be one of: {', '.join(STATUSES)}.")
    instrument = _instrument(body)
    intake = _intake_of(ctx, body)
    if intake.status != IntakeStatus.DRAFT:
        raise FhirError(409, "conflict", NOT_OPEN)
    found: Found = {}
    collect(instrument, body.get("item", []), found)
    _save(ctx, intake, _forms(intake, found, scoring.clinic_today(intake, ctx.now)))
    if instrument is INTAKE and body["status"] == "completed":
        _submit(ctx, intake)
    return response_resource(ctx, _visible_intake(ctx, intake.pk))


# --- answers out -----------------------------------------------------------------------------


def _answer(question: Question, value: Any) -> dict[str, Any] | None:
    if value in (None, "", []):
        return None
    if question.type == "boolean":
        return {"valueBoolean": value == "yes"} if value in ("yes", "no") else None
    if question.type == "integer":
        return {"valueInteger": int(value)}
    if question.type == "string":
        return {"valueString": str(value)}
    display = dict(question.options).get(str(value), "")
    return {"valueCoding": coding(ANSWER_SYSTEM, str(value), display)}


def _answered_items(intake: Intake) -> list[Resource]:
    stored = {s.slug: s.form.initial_from(intake.answers, intake.notes) for s in sections.SECTIONS}
    groups = []
    for instrument in INSTRUMENTS.values():
        items = []
        for question in instrument.questions:
            answer = _answer(question, stored[question.section].get(question.field))
            if answer is not None:
                items.append({"linkId": question.link_id, "answer": [answer]})
        if items:
            groups.append({"linkId": instrument.id, "item": items})
    return groups


def response_resource(ctx: Context, intake: Intake) -> Resource:
    patient = intake.episode.patient
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(intake.pk),
        "questionnaire": ctx.url(f"Questionnaire/{INTAKE.id}"),
        "status": "in-progress" if intake.status == IntakeStatus.DRAFT else "completed",
        "subject": ref("Patient", patient.pk, patient.full_name),
        "authored": instant(intake.submitted_at or intake.updated_at),
    }
    if items := _answered_items(intake):
        resource["item"] = items
    return resource


def _visible_intake(ctx: Context, intake_id: int) -> Intake:
    intake = (
        Intake.objects.select_related("episode__patient")
        .filter(pk=intake_id, episode__in=episodes_visible_to(ctx.user))
        .first()
    )
    if intake is None:
        raise Http404("No such questionnaire response.")
    return intake


def read_response(ctx: Context, resource_id: str) -> Resource:
    found = whole_number(resource_id)
    if found is None:
        raise Http404("No such questionnaire response.")
    return response_resource(ctx, _visible_intake(ctx, found))


QUESTIONNAIRE_RESPONSE = ResourceType(
    "QuestionnaireResponse",
    "Answers to the intake. POST one for a patient with an open intake: answers are saved "
    "as on the web; a completed response to Questionnaire/intake sends the intake and scores "
    "it (see Observation). Read one back by the intake's id.",
    read=read_response,
    create=create_response,
)
