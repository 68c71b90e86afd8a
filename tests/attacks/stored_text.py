"""Every free-text field of our models, and how the XSS tests fill it with script.

`text_fields()` walks `django.apps.apps.get_models()` for the CharFields, TextFields and
JSONFields of our own apps (`unknot.*`), so a field added tomorrow is attacked tomorrow. A
field is either attacked (`attacked_fields()`), or named in `NOT_FREE_TEXT` with the reason
no person can put text of their choosing into it; a test fails when a field is neither.

Fields with `choices` are left out without being listed: forms, the API and FHIR accept only
one of the fixed values, and pages show the label we wrote, not the stored value.
"""

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.test import RequestFactory

from tests.attacks.payloads import MINIMAL, stored_value

# "app_label.Model.field" -> why nobody can write free text there.
NOT_FREE_TEXT: dict[str, str] = {
    "accounts.User.password": "a password hash made by Django",
    "accounts.SignInCounter.key": "a keyed hash of the username or address",
    "accounts.TrustedAddress.key": "a keyed hash of the username and address",
    "accounts.RequestCounter.key": "a keyed hash of the throttle's scope and client",
    "clinics.Clinic.slug": "a slug checked by SlugField; part of URLs",
    "clinics.Clinic.time_zone": "an IANA zone name checked against zoneinfo",
    "booking.Appointment.source": "set by our code (online, staff, portal, api)",
    "booking.Appointment.hold_visitor": "a keyed hash of a random id our code made",
    "booking.Appointment.hold_address": "a keyed hash of the client's address",
    "outbox.OutboxEmail.key": "an idempotency key made by our code",
    "outbox.OutboxEmail.kind": "set by our code (confirmation, reminder, ...)",
    "booking.ContactQuestion.sender_fingerprint": "a hash of the sender's address",
    "booking.CalendarFeed.token_hash": "a hash of the feed's token",
    "booking.SafetyCall.questions": "our own safety questions' wording and 'Yes', by our code",
    "booking.SafetyCall.fired_rule_ids": "the care core's rule ids (RF-CANCER...)",
    "records.Intake.sections_done": "section slugs, checked against the intake's sections",
    "records.Evaluation.exam": "numbers and codes, checked by the care core",
    "records.Evaluation.rom": "degrees, numbers only",
    "records.OutcomeScore.source": "set by our code (intake, visit, reassessment)",
    "records.OutcomeScore.loinc": "a LOINC code from our own table",
    "records.Visit.red_flags": "yes/no answers by the care core's red-flag keys",
    "records.Visit.triage": "the care core's verdict, made by our code",
    "records.Visit.progression": "the care core's suggestion, made by our code",
    "records.VisitIntervention.intervention": "a care-core intervention key (form choice)",
    "records.MedicalHold.tier": "the care core's triage tier, made by our code",
    "records.MedicalHold.rules": "the care core's rule ids, made by our code",
    "records.MedicalHold.findings": "the care core's finding keys, made by our code",
    "records.MedicalHold.restrictions": "restriction keys (form choices, checked by the service)",
    "records.VisitIntervention.cpt": "a CPT code from our own table",
    "plans.PlanOfCare.proposal": "the care core's proposal, made by our code",
    "plans.PlanOfCare.current_phase": "a care-core phase key",
    "plans.PlanOfCare.diagnosis_codes": "ICD-10 codes from the care core's table",
    "plans.PlanGoal.instrument": "an outcome instrument key (form choice)",
    "plans.HomeExercise.exercise_key": "a key of the exercise library (form choice)",
    "plans.EducationAssignment.topic_key": "a key of the education library (form choice)",
    "plans.Certification.physician_npi": "10 digits with a check digit (validate_npi)",
    "audit.AuditEvent.actor_role": "a role code, set from the staff profile",
    "audit.AuditEvent.object_type": "a code: audit.services refuses anything else",
    "audit.AuditEvent.object_id": "an id: audit.services refuses anything else",
    "audit.AuditEvent.remote_addr": "an IP address, parsed by ipaddress",
    "audit.AuditEvent.reason": "a code: audit.services refuses anything else",
    "audit.AuditEvent.previous_hash": "a SHA-256 of the chain",
    "audit.AuditEvent.hash": "a SHA-256 of the chain",
    "audit.AuditCheckpoint.last_hash": "a SHA-256 of the chain, copied by verify_audit",
    "audit.AuditCheckpoint.signature": "an HMAC-SHA256 made by verify_audit",
    "billing.Fee.code": "a CPT code, five letters or digits checked by billing.services",
    "billing.ChargeLine.code": "a CPT code from our own table or checked by billing.services",
    "billing.Charge.diagnosis_codes": "ICD-10-CM codes from the plan (the care core's table) or "
    "checked against the code's pattern by billing.services",
    "billing.ChargeLine.modifiers": "two letters or digits each, checked by billing.services",
    "billing.ChargeLine.diagnosis_pointers": "positions (numbers) made by our code",
    "billing.ChargeCorrection.before": "the charge's lines as they were: codes, numbers and "
    "amounts, each checked when it was written",
    "api.ApiToken.digest": "a hash of the token",
    "api.ApiToken.prefix": "the first characters of a random token, made by our code",
    "exports.PatientFeed.token_hash": "a hash of the feed's token",
    "exports.KeptSummary.fingerprint": "a SHA-256 made by our code",
    "exports.KeptSummary.page": "the summary page our template rendered, every value escaped; "
    "only laid out into the PDF, never shown as a page",
    "coverage.Coverage.card_front": "a random file name made by our code",
    "coverage.Coverage.card_back": "a random file name made by our code",
    "coverage.Authorisation.covers": "appointment kinds (form choices, checked by the service)",
    "paperwork.Signature.pdf_name": "a random file name made by our code",
    "paperwork.Signature.pdf_sha256": "a SHA-256 of the signed PDF",
    "paperwork.Signature.drawn_signature": "a PNG data URL: the service keeps only base64 of a "
    "real PNG under the PNG prefix; shown in the signed PDF only",
}

# JSONFields that hold a person's words, and the keys under which those words sit. Strings
# under these keys (in nested dicts and lists too) are replaced; `ALL` means every string.
ALL = "*"
FREE_TEXT_IN_JSON: dict[str, tuple[str, ...]] = {
    "records.Intake.answers": ("activity", "goals"),  # PSFS activities, the person's goals
    "records.Intake.notes": (ALL,),  # the person's own story, triggers, what eases it
    "records.Evaluation.palpation": (
        "spasm_location",
        "tenderness_location",
        "segment_levels",
        "notes",
    ),
    "records.Evaluation.in_person": ("source",),  # where scores recorded elsewhere came from
    "records.OutcomeScore.details": ("activity",),  # PSFS items
    "plans.PlanOfCare.elements": ("what", "reason", "dose", "override"),  # therapist's edits
}
# Keys a JSONField listed above must hold for the attack to reach its pages.
SEED_KEYS: dict[str, tuple[str, ...]] = {
    "records.Intake.notes": ("story", "triggers", "eases", "daily_life"),
    "records.Evaluation.palpation": ("spasm_location", "tenderness_location", "notes"),
}
# Written through the one door the application has, not by an UPDATE (see poison_audit).
APPENDED: dict[str, str] = {
    "audit.AuditEvent.actor_username": "copied from the username by audit.record()",
    "audit.AuditEvent.path": "the request's path, chosen by whoever sends the request",
}
LINKISH = ("phone", "website", "url")  # may be shown as tel: or mailto: links


def label(model: Any, name: str) -> str:
    return f"{model._meta.label}.{name}"


def text_fields() -> Iterator[tuple[Any, Any]]:
    """(model, field) for every free-text-capable column of our apps, choices left out."""
    for model in apps.get_models():
        if not model.__module__.startswith("unknot."):
            continue
        for found in model._meta.concrete_fields:
            textual = isinstance(found, models.CharField | models.TextField | models.JSONField)
            if textual and not found.choices:
                yield model, found


def attacked_fields() -> set[str]:
    return {label(m, f.name) for m, f in text_fields()} - set(NOT_FREE_TEXT)


# The shortest payload with room for its tag (`~123.45~`): a column shorter than this (a
# state's two letters, a ZIP code, an NPI) is attacked with what fits, and the pages' escaping
# is checked on it, but no page can be seen to show that very value.
TAGGABLE_LENGTH = len(MINIMAL) + len("~123.45~")


def untaggable_fields() -> set[str]:
    return {
        label(m, f.name)
        for m, f in text_fields()
        if getattr(f, "max_length", None) and f.max_length < TAGGABLE_LENGTH
    } & attacked_fields()


def unaccounted_fields() -> list[str]:
    """Text fields neither attacked nor explained: the test that lists them fails."""
    problems = []
    for model, found in text_fields():
        name = label(model, found.name)
        explained = name in NOT_FREE_TEXT or name in FREE_TEXT_IN_JSON
        if isinstance(found, models.JSONField) and not explained:
            problems.append(f"{name}: a JSONField; say which keys hold free text")
    stale = set(NOT_FREE_TEXT) | set(FREE_TEXT_IN_JSON) | set(APPENDED)
    stale -= {label(m, f.name) for m, f in text_fields()}
    problems += [f"{name}: listed, but there is no such text field" for name in sorted(stale)]
    return problems


# --- filling the database ------------------------------------------------------------------


@dataclass
class Written:
    """What the attack wrote: tag -> (field label, the whole value), to find it on pages."""

    values: dict[str, tuple[str, str]] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new(self, name: str, max_length: int | None, *, link: bool = False) -> str:
        tag = f"~{next(self.counter)}~"
        value = stored_value(tag, max_length, link=link)
        self.values[tag] = (name, value)
        return value

    def fields_seen(self, seen_tags: set[str]) -> set[str]:
        return {self.values[tag][0] for tag in seen_tags}


def _poison_json(value: Any, keys: tuple[str, ...], write: Callable[[], str], under: bool) -> Any:
    if isinstance(value, dict):
        return {k: _poison_json(v, keys, write, ALL in keys or k in keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison_json(item, keys, write, under) for item in value]
    if isinstance(value, str) and under:
        return write()
    return value


def _seeded(name: str, value: Any) -> Any:
    if name in SEED_KEYS and isinstance(value, dict):
        return {key: "" for key in SEED_KEYS[name]} | value
    return value


def poison_rows(written: Written) -> None:
    """Every attacked column of every row of our tables, the audit trail aside."""
    by_model: dict[Any, list[Any]] = {}
    attacked = attacked_fields() - set(APPENDED)
    for model, found in text_fields():
        if label(model, found.name) in attacked:
            by_model.setdefault(model, []).append(found)
    for model, columns in by_model.items():
        for row in model._default_manager.all():
            values = {column.name: _value_for(written, model, column, row) for column in columns}
            model._default_manager.filter(pk=row.pk).update(**values)


def _value_for(written: Written, model: Any, column: Any, row: Any) -> Any:
    name = label(model, column.name)
    if isinstance(column, models.JSONField):
        keys = FREE_TEXT_IN_JSON[name]
        current = _seeded(name, getattr(row, column.name))
        return _poison_json(current, keys, lambda: written.new(name, 300), ALL in keys)
    link = isinstance(column, models.EmailField) or column.name in LINKISH
    return written.new(name, column.max_length, link=link)


def poison_audit(written: Written, user: Any, patient: Any) -> None:
    """Appends an event through audit.record(), as `user` (a poisoned username) asking for a
    poisoned path: the only way anything reaches the trail."""
    from unknot.audit.models import Action
    from unknot.audit.services import record

    path = "/" + written.new("audit.AuditEvent.path", 250)
    request = RequestFactory().get("/")
    request.path = path
    request.user = user
    record(
        Action.READ, object_type="patient", object_id=patient.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, request=request,
    )  # fmt: skip
