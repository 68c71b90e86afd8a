"""Appointment writes: book a free Slot (create), cancel (update or patch the status).

Both go through `unknot.booking.services`, so every rule of the website holds unchanged:
minimum notice, the therapist's hours, no double booking (a lost race is 409), who may
change what. Moving an appointment is not offered here: cancel it and book another Slot.
"""

import json
from typing import Any

from django.http import Http404

from unknot.accounts.access import signed_in_user
from unknot.booking import selectors, services
from unknot.booking.models import Appointment
from unknot.common.inputs import instant_from, json_from
from unknot.fhir import calendar
from unknot.fhir.calendar import SlotKey, appointment_resource, calendar_for
from unknot.fhir.http import FhirError, invalid
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import Context, Resource, reference_id, whole_number
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for

ONLY_CANCEL = (
    "Only cancelling is supported here: set status to cancelled. To move an appointment, "
    "cancel it and book another Slot."
)


def _slot_key(body: Resource) -> SlotKey:
    slots = body.get("slot") or []
    if len(slots) != 1:
        raise invalid("Reference exactly one free Slot in slot (see Slot search).")
    key = SlotKey.parse(reference_id(slots[0].get("reference"), "Slot") or "")
    if key is None:
        raise invalid(
            "slot must reference one of this server's Slots, like Slot/7-2-5-203103051400."
        )
    return key


def _patient(ctx: Context, body: Resource) -> Patient:
    actors = [p.get("actor", {}).get("reference") for p in body.get("participant", [])]
    ids = [reference_id(actor, "Patient") for actor in actors]
    wanted = [whole_number(found) for found in ids if found is not None]
    if len(wanted) != 1 or wanted[0] is None:
        raise invalid("Name exactly one participant actor Patient/<id>.")
    return get_patient_for(ctx.user, wanted[0])


def _check_start(body: Resource, key: SlotKey) -> None:
    if "start" not in body:
        return
    raw = body["start"]
    given = instant_from(raw.replace("Z", "+00:00") if isinstance(raw, str) else raw, "start")
    if given != key.start:
        raise invalid("start differs from the Slot's start: leave it out or give the same time.")


def create_appointment(ctx: Context, body: Resource) -> Resource:
    if body.get("status") != "booked":
        raise invalid("Create an Appointment with status booked, referencing a free Slot.")
    key = _slot_key(body)
    _check_start(body, key)
    patient = _patient(ctx, body)
    cal = calendar_for(ctx.user, key.therapist_id, key.clinic_id)
    kind = next((k for k in cal.types if k.pk == key.type_id), None) if cal else None
    if cal is None or kind is None:
        raise FhirError(404, "not-found", "No such slot: the Slot reference names no free time.")
    booked = services.appointment_book(  # a refusal: an OperationOutcome (fhir.http)
        by=signed_in_user(ctx.user),
        clinic=cal.clinic,
        appointment_type=kind,
        therapist=cal.therapist,
        patient=patient,
        start=key.start,
        now=ctx.now,
        source="fhir",
    )
    return appointment_resource(selectors.get_appointment_for(ctx.user, booked.pk))


def _own(ctx: Context, resource_id: str) -> Appointment:
    found = whole_number(resource_id)
    if found is None:
        raise Http404("No such appointment.")
    return selectors.get_appointment_for(ctx.user, found)


def _cancel(ctx: Context, appointment: Appointment, reason: str) -> Resource:
    if appointment.status != "cancelled":
        services.appointment_cancel(
            by=signed_in_user(ctx.user), appointment=appointment, now=ctx.now, reason=reason
        )
    return appointment_resource(selectors.get_appointment_for(ctx.user, appointment.pk))


def update_appointment(ctx: Context, resource_id: str, body: Resource) -> Resource:
    if body.get("id") != resource_id:
        raise invalid("The resource's id must match the URL.")
    appointment = _own(ctx, resource_id)
    if body.get("status") != "cancelled":
        raise FhirError(422, "business-rule", ONLY_CANCEL)
    reason = (body.get("cancelationReason") or {}).get("text", "")
    return _cancel(ctx, appointment, reason)


CANCEL_PATCH = [{"op": "replace", "path": "/status", "value": "cancelled"}]


def parse_patch(raw: bytes) -> Any:
    return json_from(raw)  # BadInput (not JSON, nested too deep): a 400 OperationOutcome


def patch_appointment(ctx: Context, resource_id: str, operations: Any) -> Resource:
    appointment = _own(ctx, resource_id)
    if operations != CANCEL_PATCH:
        raise FhirError(
            422, "business-rule", f"{ONLY_CANCEL} As JSON Patch: {json.dumps(CANCEL_PATCH)}"
        )
    return _cancel(ctx, appointment, "")


APPOINTMENT = ResourceType(
    "Appointment",
    "Visits. Create one with status booked from a free Slot; cancel by setting status to "
    "cancelled (PUT, or PATCH with JSON Patch). Staff see their clinics' appointments, a "
    "patient their own.",
    (
        SearchParam("patient", "reference", "Patient/<id>."),
        SearchParam("practitioner", "reference", "Practitioner/<id>."),
        SearchParam("location", "reference", "Location/<id>."),
        SearchParam("date", "date", "Start of the visit (eq, ge, le, gt, lt)."),
        SearchParam("status", "token", "booked, arrived, fulfilled, noshow, cancelled."),
    ),
    read=calendar.read_appointment,
    search=calendar.search_appointments,
    create=create_appointment,
    update=update_appointment,
    patch=patch_appointment,
)
