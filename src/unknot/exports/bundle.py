"""A person's whole record as one FHIR R4 Bundle of type `collection`.

The resources the FHIR interface serves are made by its own builders (`unknot.fhir`), so an
export says exactly what `/fhir/` says. What that interface does not serve is made here, as
the R4 resource that fits: visits and evaluations as Encounters with their notes as
DocumentReferences (the note's text as a plain-text attachment), home sessions as
Observations, each plan's home exercises as a CarePlan that is part of the plan of care.

Served resources carry their `/fhir/` address as fullUrl; the others are not served, so
they get a stable `urn:uuid:` (derived from the server's base and the resource's id) and are
referred to by it.
"""

import base64
import uuid
from typing import Any

from unknot.clinics.models import StaffMember
from unknot.exports.record import PatientRecord
from unknot.fhir.billing import (
    charge_item_resource,
    claim_resource,
    coverage_resource,
    self_pay_resource,
)
from unknot.fhir.calendar import appointment_resource
from unknot.fhir.clinical import care_plan_resource, goal_resource, observation_resource
from unknot.fhir.directory import location_resource, patient_resource, practitioner_resource
from unknot.fhir.refs import (
    LOINC,
    OBSERVATION_CATEGORY,
    Context,
    Resource,
    coding,
    concept,
    instant,
    ref,
)
from unknot.fhir.responses import response_resource
from unknot.records.models import Evaluation, Visit

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# Our own code systems, beside those of unknot.fhir.refs.
DOCUMENT_SYSTEM = "urn:unknot:document"
HOME_SESSION_SYSTEM = "urn:unknot:home-session"
PAIN = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")


class Entries:
    """The bundle's entries in order, each resource once, with the fullUrl it is known by."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.entries: list[Resource] = []
        self.seen: set[str] = set()

    def served(self, resource: Resource) -> None:
        self._add(self.ctx.url(f"{resource['resourceType']}/{resource['id']}"), resource)

    def local(self, resource: Resource) -> dict[str, str]:
        """Adds a resource /fhir/ does not serve; returns the reference to it."""
        url = local_url(self.ctx, resource["resourceType"], resource["id"])
        self._add(url, resource)
        return {"reference": url}

    def _add(self, url: str, resource: Resource) -> None:
        if url not in self.seen:
            self.seen.add(url)
            self.entries.append({"fullUrl": url, "resource": resource})


def local_url(ctx: Context, resource_type: str, resource_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ctx.url(f'{resource_type}/{resource_id}'))}"


def patient_bundle(ctx: Context, record: PatientRecord) -> Resource:
    entries = Entries(ctx)
    entries.served(patient_resource(record.patient))
    _directory(entries, record)
    for appointment in record.appointments:
        entries.served(appointment_resource(appointment))
    for intake in record.intakes:
        entries.served(response_resource(ctx, intake))
    for score in record.scores:
        entries.served(observation_resource(score))
    for plan in record.plans:
        entries.served(care_plan_resource(plan))
    for goal in record.goals:
        entries.served(goal_resource(goal))
    for plan, items in record.programmes:
        if items:
            entries.local(home_programme_resource(plan, items))
    for log in record.logs:
        entries.local(home_session_resource(log))
    _notes(entries, record)
    _billing(entries, record)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(ctx.now),
        "total": len(entries.entries),
        "entry": entries.entries,
    }


def _directory(entries: Entries, record: PatientRecord) -> None:
    """The clinics and clinicians the record points to, so the file stands on its own."""
    clinics = {record.patient.preferred_clinic_id: record.patient.preferred_clinic}
    clinicians: dict[int, StaffMember] = {}
    for appointment in record.appointments:
        clinics[appointment.clinic_id] = appointment.clinic
        clinicians[appointment.therapist_id] = appointment.therapist
    for episode in record.episodes:
        clinics[episode.clinic_id] = episode.clinic
        if episode.therapist is not None:
            clinicians[episode.therapist.pk] = episode.therapist
    notes: list[Evaluation | Visit] = [*record.evaluations, *record.visits]
    for note in notes:
        clinicians[note.therapist_id] = note.therapist
    for plan in record.plans:
        if plan.signed_by is not None:
            clinicians[plan.signed_by.pk] = plan.signed_by
    for line in record.charge_lines:
        clinicians[line.charge.rendering_id] = line.charge.rendering
    for _, clinic in sorted(clinics.items()):
        entries.served(location_resource(clinic))
    for _, member in sorted(clinicians.items()):
        entries.served(practitioner_resource(member))


def _billing(entries: Entries, record: PatientRecord) -> None:
    """Who pays, what each visit was billed for and the claims, as /fhir/ serves them. A
    claim names the Coverage it was sent to, so a reader who sees the claim gets it too."""
    for coverage in record.coverages:
        entries.served(coverage_resource(coverage))
    for self_pay in record.self_pays:
        entries.served(self_pay_resource(self_pay))
    for line in record.charge_lines:
        entries.served(charge_item_resource(line))
    for claim in record.claims:
        entries.served(coverage_resource(claim.coverage))
        entries.served(claim_resource(claim))


# --- what /fhir/ does not serve --------------------------------------------------------------


def home_programme_resource(plan: Any, items: list[Any]) -> Resource:
    """The plan's home exercises: a CarePlan that is part of the plan of care."""
    main = care_plan_resource(plan)
    return {
        "resourceType": "CarePlan",
        "id": f"home-{plan.pk}",
        "status": main["status"],
        "intent": "plan",
        "title": f"Home exercise programme (plan of care, version {plan.version})",
        "partOf": [ref("CarePlan", plan.pk)],
        "subject": main["subject"],
        "period": main["period"],
        "activity": [
            {"detail": {"code": concept(item.name), "status": _home_status(main["status"]),
                        "description": f"{item.name}: {item.dose}"}}
            for item in items
        ],
    }  # fmt: skip


def _home_status(plan_status: str) -> str:
    return {"active": "in-progress", "completed": "completed"}.get(plan_status, "cancelled")


def home_session_resource(log: Any) -> Resource:
    """A home session as the person logged it: done, partly or skipped, pain before and after."""
    patient = log.episode.patient
    resource: Resource = {
        "resourceType": "Observation",
        "id": f"home-session-{log.pk}",
        "status": "final",
        "category": [concept("Activity", coding(OBSERVATION_CATEGORY, "activity", "Activity"))],
        "code": concept("Home exercise session", coding(HOME_SESSION_SYSTEM, "session")),
        "subject": ref("Patient", patient.pk, patient.full_name),
        "effectiveDateTime": log.performed_on.isoformat(),
        "valueCodeableConcept": concept(
            log.get_status_display(), coding(HOME_SESSION_SYSTEM, log.status)
        ),
    }
    parts = [
        {"code": concept(label, coding(LOINC, *PAIN)), "valueInteger": value}
        for label, value in (("Pain before the session", log.pain_before),
                             ("Pain after the session", log.pain_after))
        if value is not None
    ]  # fmt: skip
    if parts:
        resource["component"] = parts
    if log.note:
        resource["note"] = [{"text": log.note}]
    return resource


def _notes(entries: Entries, record: PatientRecord) -> None:
    for evaluation in record.evaluations:
        encounter = entries.local(encounter_resource(evaluation, "evaluation", "Evaluation"))
        text = as_text(evaluation_parts(evaluation))
        entries.local(note_resource(evaluation, "evaluation", encounter, text))
    for visit in record.visits:
        encounter = entries.local(encounter_resource(visit, "visit", "Treatment visit"))
        entries.local(note_resource(visit, "visit", encounter, as_text(visit_parts(visit))))


def encounter_resource(note: Any, kind: str, label: str) -> Resource:
    """The visit or evaluation itself: when, where and with whom."""
    episode, therapist = note.episode, note.therapist
    resource: Resource = {
        "resourceType": "Encounter",
        "id": f"{kind}-{note.pk}",
        "status": "finished",
        "class": coding(ACT_CODE, "AMB", "ambulatory"),
        "type": [concept(label, coding(DOCUMENT_SYSTEM, kind))],
        "subject": ref("Patient", episode.patient.pk, episode.patient.full_name),
        "participant": [{"individual": ref("Practitioner", therapist.pk, therapist.display_name)}],
        "period": {"start": note.performed_on.isoformat(), "end": note.performed_on.isoformat()},
        "location": [{"location": ref("Location", episode.clinic.pk, episode.clinic.name)}],
    }
    if getattr(note, "appointment_id", None):
        resource["appointment"] = [ref("Appointment", note.appointment_id)]
    return resource


def note_resource(note: Any, kind: str, encounter: dict[str, str], text: str) -> Resource:
    """The therapist's note, word for word, as a plain-text document."""
    episode, therapist = note.episode, note.therapist
    title = f"{'Evaluation' if kind == 'evaluation' else 'Visit'} note, {note.performed_on}"
    written = getattr(note, "signed_at", None) or note.created_at
    return {
        "resourceType": "DocumentReference",
        "id": f"{kind}-note-{note.pk}",
        "status": "current",
        "docStatus": "final",
        "type": concept(f"{kind.title()} note", coding(DOCUMENT_SYSTEM, f"{kind}_note")),
        "subject": ref("Patient", episode.patient.pk, episode.patient.full_name),
        "date": instant(written),
        "author": [ref("Practitioner", therapist.pk, therapist.display_name)],
        "description": title,
        "content": [{"attachment": {
            "contentType": "text/plain; charset=utf-8",
            "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
            "title": title,
        }}],
        "context": {"encounter": [encounter]},
    }  # fmt: skip


def as_text(parts: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in parts)


def _kept(pairs: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [(label, str(value)) for label, value in pairs if value not in ("", None)]


def visit_parts(visit: Any) -> list[tuple[str, str]]:
    """The visit note as (heading, text) pairs, empty parts left out."""
    treatment = "; ".join(
        f"{row.intervention.replace('_', ' ')} (CPT {row.cpt}, {row.minutes} min)"
        for row in visit.interventions.all()
    )
    return _kept([
        ("Visit", visit.number), ("Date", visit.performed_on.isoformat()),
        ("Pain (0-10)", visit.nprs), ("Subjective", visit.subjective),
        ("Objective", visit.objective), ("Assessment", visit.assessment),
        ("Plan", visit.plan_text), ("Treatment", treatment),
    ])  # fmt: skip


def evaluation_parts(evaluation: Any) -> list[tuple[str, str]]:
    palpation = evaluation.palpation or {}
    rom = ", ".join(f"{k.replace('_', ' ')} {v} degrees" for k, v in (evaluation.rom or {}).items())
    found = ", ".join(
        f"{key.replace('_', ' ')}: {palpation[key]}"
        for key in ("spasm_location", "tenderness_location", "severity", "segment_levels", "notes")
        if palpation.get(key) not in (None, "", [])
    )
    return _kept([
        ("Date", evaluation.performed_on.isoformat()), ("Posture", evaluation.posture),
        ("Movement", evaluation.movement), ("Range of motion", rom),
        ("Triggers discussed", evaluation.triggers_discussed), ("Palpation", found),
        ("Neurological screen", evaluation.neuro_screen), ("Assessment", evaluation.assessment),
    ])  # fmt: skip
