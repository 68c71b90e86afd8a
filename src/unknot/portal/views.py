"""The portal's own page: the patient's home. A domain's portal pages live with their domain
(patients, booking, records, plans) and are mounted in this URL space."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unknot.accounts.access import patient_only
from unknot.patients.selectors import own_patient_record


@require_safe
@patient_only
def home(request: HttpRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    return render(request, "portal/home.html", {"patient": patient})
