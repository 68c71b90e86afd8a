"""Downloads of a person's whole record: a FHIR R4 Bundle and a readable PDF summary.

A person downloads their own from the portal; a therapist, manager or auditor of the
person's clinic downloads it from the staff patient page. The patient comes from the access
checks (another clinic's patient is 404), the rows from the selectors of the one who asks,
and every download is recorded in the audit trail as an export.

The PDF is laid out by the worker (exports/kept.py): its address answers the kept PDF when it
shows the record as it is, and otherwise a page saying that it is being prepared.
"""

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from unknot.accounts.access import patient_only, staff_only
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import Role
from unknot.audit import services as audit
from unknot.audit.models import Action
from unknot.common.replica import replica_reads
from unknot.documents import pdf
from unknot.exports import kept, summary, tasks
from unknot.exports.bundle import patient_bundle
from unknot.exports.record import record_for
from unknot.fhir.views import context as fhir_context
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for, own_patient_record

# Those who see the whole clinical record; the front desk keeps the calendar, not the notes.
EXPORT_ROLES = (Role.THERAPIST, Role.MANAGER, Role.OWNER, Role.AUDITOR)
FHIR_JSON = "application/fhir+json; charset=utf-8"
SUMMARY = "exports/summary.html"
ASK_AGAIN_SECONDS = 4  # how often the "being prepared" page asks again


@replica_reads
def bundle_response(request: HttpRequest, patient: Patient) -> HttpResponse:
    record = record_for(request.user, patient)
    audit.exported(Action.EXPORT, patient, "fhir_bundle")
    body = patient_bundle(fhir_context(request), record)
    response = HttpResponse(json.dumps(body, indent=1), content_type=FHIR_JSON)
    name = slugify(f"health-record-{patient.last_name}-{timezone.now():%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "private, no-store"  # health data: never in a shared cache
    return response


@replica_reads
def _summary_of(user: AnyUser, patient: Patient, now: dt.datetime) -> dict[str, Any]:
    return summary.context(user, patient, now)


def summary_response(request: HttpRequest, patient: Patient, back: str) -> HttpResponse:
    """The kept PDF when it shows the record as it is now; otherwise a page saying that it is
    being prepared, which asks again by itself until the worker has laid it out (kept.py)."""
    now = timezone.now()
    shown = _summary_of(request.user, patient, now)
    shows = kept.fingerprint(render_to_string(SUMMARY, {**shown, "prepared": None}))
    found = kept.kept_for(request.user, patient)  # on the primary: the worker just wrote it
    content = kept.ready_content(found, shows)
    if content is None:
        if not kept.in_hand(found, shows, now):
            page = render_to_string(SUMMARY, {**shown, "prepared": now})
            asked = kept.ask(request.user, patient, shows, page, now)
            tasks.lay_out_summary.enqueue(asked.pk, shows)
        return _preparing(request, patient, back)
    audit.exported(Action.EXPORT, patient, "summary_pdf")
    name = f"health-record-{patient.last_name}-{now:%Y-%m-%d}"
    return pdf.pdf_response(content, name, download=True)


def _preparing(request: HttpRequest, patient: Patient, back: str) -> HttpResponse:
    # The record was read to prepare it; it leaves the system (an export) when handed over.
    audit.record(
        Action.READ, object_type="patient", object_id=patient.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, reason="summary_pdf",
    )  # fmt: skip
    own = patient.user_id == request.user.pk
    shown = {"patient": patient, "back": back, "own": own}
    response = render(request, "exports/summary_preparing.html", shown)
    response["Refresh"] = str(ASK_AGAIN_SECONDS)  # the same address: the PDF once it is ready
    return response


@require_safe
@patient_only
def my_bundle(request: HttpRequest) -> HttpResponse:
    """The person's own record as a FHIR Bundle (JSON), to keep or give to another clinic."""
    return bundle_response(request, own_patient_record(request.user))


@require_safe
@patient_only
def my_summary(request: HttpRequest) -> HttpResponse:
    """The person's own record as a PDF to read or print."""
    return summary_response(request, own_patient_record(request.user), reverse("portal:home"))


@require_safe
@staff_only(EXPORT_ROLES)
def patient_bundle_download(request: HttpRequest, patient_id: int) -> HttpResponse:
    return bundle_response(request, get_patient_for(request.user, patient_id))


@require_safe
@staff_only(EXPORT_ROLES)
def patient_summary_download(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    return summary_response(
        request, patient, reverse("staffarea:patient_detail", args=[patient.pk])
    )
