"""Paperwork for staff: the practice's documents (owner and managers edit them), a patient's
forms and signed copies, and signing at the desk, where the front desk hands the patient a
tablet showing one form in a kiosk-like page and is recorded as the witness."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, is_read_only, staff_only
from unknot.accounts.roles import MANAGING_ROLES
from unknot.common.errors import attempt
from unknot.paperwork import selectors, services
from unknot.paperwork.downloads import signed_pdf_response
from unknot.paperwork.forms import DocumentForm
from unknot.paperwork.models import PracticeDocument
from unknot.paperwork.signing_page import signing_page
from unknot.patients.selectors import get_patient_for, get_patient_for_rw


@require_safe
@staff_only(MANAGING_ROLES)
def documents(request: SignedInRequest) -> HttpResponse:
    current = selectors.current_versions()
    rows = [(d, current.get(d.kind)) for d in PracticeDocument.objects.order_by("kind")]
    return render(request, "paperwork/staff/documents.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@staff_only(MANAGING_ROLES, writes=True)
def document_edit(request: SignedInRequest, kind: str) -> HttpResponse:
    document = selectors.get_document_for_rw(request.user, kind)
    current = selectors.current_version(kind)
    form = DocumentForm.for_document(document, current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        edit = form.edit()
        done = attempt(
            request,
            lambda: services.document_publish(
                by=request.user, document=document, edit=edit, now=timezone.now()
            ),
            form=form,
        )
        if not form.non_field_errors():
            words = f"Version {done.number} is published." if done else "The rules are saved."
            messages.success(request, words)
            return redirect("staffarea:paperwork_documents")
    context = {"document": document, "form": form, "versions": selectors.versions_of(document)}
    return render(request, "paperwork/staff/document_edit.html", context)


@require_safe
@staff_only()
def patient_paperwork(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, break_glass=False)
    context = {
        "patient": patient,
        "statuses": selectors.paperwork_of(request.user, patient),
        "can_write": not is_read_only(request.user),
    }
    return render(request, "paperwork/staff/patient_paperwork.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def desk_sign(request: SignedInRequest, patient_id: int, kind: str) -> HttpResponse:
    patient = get_patient_for_rw(request.user, patient_id)
    return signing_page(
        request, patient, kind, template="paperwork/staff/desk_sign.html",
        thanks=lambda version: f"{patient.full_name} signed: {version.title}.",
        then=reverse("staffarea:patient_paperwork", kwargs={"patient_id": patient.pk}),
    )  # fmt: skip


@require_safe
@staff_only()
def signature_pdf(request: SignedInRequest, signature_id: int) -> HttpResponse:
    return signed_pdf_response(request.user, signature_id)
