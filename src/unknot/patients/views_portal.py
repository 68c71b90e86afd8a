"""The patient's own details in the portal."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.patients import services
from unknot.patients.forms import ContactDetailsForm
from unknot.patients.selectors import own_patient_record


@require_http_methods(["GET", "POST"])
@patient_only
def contact_details(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    form = ContactDetailsForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        services.patient_update_own_contact(by=request.user, patient=form.save(commit=False))
        messages.success(request, "Your details were saved.")
        return redirect("portal:home")
    return render(request, "patients/portal/contact_details.html", {"form": form})
