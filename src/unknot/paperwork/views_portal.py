"""The patient's own forms in the portal: what is still to sign, each form to read and sign,
and the signed copies to download."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.paperwork import selectors
from unknot.paperwork.downloads import signed_pdf_response
from unknot.paperwork.signing_page import signing_page
from unknot.patients.selectors import own_patient_record


@require_safe
@patient_only
def my_forms(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    statuses = selectors.paperwork_of(request.user, patient)
    context = {
        "patient": patient,
        "to_sign": selectors.to_sign(statuses),
        "signed": [signature for status in statuses for signature in status.signatures],
    }
    return render(request, "paperwork/portal/my_forms.html", context)


@require_http_methods(["GET", "POST"])
@patient_only
def sign(request: SignedInRequest, kind: str) -> HttpResponse:
    patient = own_patient_record(request.user)
    return signing_page(
        request, patient, kind, template="paperwork/portal/sign.html",
        thanks=lambda version: f"Thank you: you signed the {version.title}.",
        then=reverse("portal:paperwork"),
    )  # fmt: skip


@require_safe
@patient_only
def signature_pdf(request: SignedInRequest, signature_id: int) -> HttpResponse:
    return signed_pdf_response(request.user, signature_id)
