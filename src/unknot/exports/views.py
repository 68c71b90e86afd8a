"""Downloads of a person's whole record: a FHIR R4 Bundle and a readable PDF summary.

A person downloads their own from the portal; a therapist, manager or auditor of the
person's clinic downloads it from the staff patient page. The patient comes from the access
checks (another clinic's patient is 404), the rows from the selectors of the one who asks,
and every download is recorded in the audit trail as an export.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from unknot.accounts.access import patient_only, staff_only
from unknot.accounts.roles import Role
from unknot.audit import services as audit
from unknot.audit.models import Action
from unknot.common.replica import replica_reads
from unknot.documents import pdf
from unknot.exports import summary
from unknot.exports.bundle import patient_bundle
from unknot.exports.record import record_for
from unknot.fhir.views import context as fhir_context
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for, own_patient_record

# Those who see the whole clinical record; the front desk keeps the calendar, not the notes.
EXPORT_ROLES = (Role.THERAPIST, Role.MANAGER, Role.OWNER, Role.AUDITOR)
FHIR_JSON = "application/fhir+json; charset=utf-8"


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
def summary_response(request: HttpRequest, patient: Patient) -> HttpResponse:
    shown = summary.context(request.user, patient, timezone.now())
    audit.exported(Action.EXPORT, patient, "summary_pdf")
    content = pdf.render_pdf("exports/summary.html", shown)
    name = f"health-record-{patient.last_name}-{timezone.now():%Y-%m-%d}"
    return pdf.pdf_response(content, name, download=True)


@require_safe
@patient_only
def my_bundle(request: HttpRequest) -> HttpResponse:
    """The person's own record as a FHIR Bundle (JSON), to keep or give to another clinic."""
    return bundle_response(request, own_patient_record(request.user))


@require_safe
@patient_only
def my_summary(request: HttpRequest) -> HttpResponse:
    """The person's own record as a PDF to read or print."""
    return summary_response(request, own_patient_record(request.user))


@require_safe
@staff_only(EXPORT_ROLES)
def patient_bundle_download(request: HttpRequest, patient_id: int) -> HttpResponse:
    return bundle_response(request, get_patient_for(request.user, patient_id))


@require_safe
@staff_only(EXPORT_ROLES)
def patient_summary_download(request: HttpRequest, patient_id: int) -> HttpResponse:
    return summary_response(request, get_patient_for(request.user, patient_id))
