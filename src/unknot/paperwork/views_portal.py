"""The patient's own forms in the portal: what is still to sign, each form to read and sign,
and the signed copies to download."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.clinics import times
from unknot.common.errors import attempt
from unknot.paperwork import selectors, services
from unknot.paperwork.downloads import signed_pdf_response
from unknot.paperwork.forms import SignForm
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
    version = selectors.current_version(kind)
    if version is None:
        raise Http404("No such form.")
    form = SignForm(request.POST if request.method == "POST" else None, version=version)
    if request.method == "POST" and form.is_valid():
        signing = form.signing()
        signed = attempt(
            request,
            lambda: services.sign(
                by=request.user, patient=patient, signing=signing, now=timezone.now()
            ),
            form=form,
        )
        if signed is not None:
            messages.success(request, f"Thank you: you signed the {version.title}.")
            return redirect("portal:paperwork")
    context = {
        "patient": patient,
        "version": version,
        "form": form,
        "today": times.clinic_day(timezone.now(), patient.preferred_clinic),
        "signed_already": selectors.signed_already(request.user, patient, version),
    }
    return render(request, "paperwork/portal/sign.html", context)


@require_safe
@patient_only
def signature_pdf(request: SignedInRequest, signature_id: int) -> HttpResponse:
    return signed_pdf_response(request.user, signature_id)
