"""The portal's own page: the patient's home. A domain's portal pages live with their domain
(patients, booking, records, plans) and are mounted in this URL space."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.paperwork.selectors import outstanding_for
from unknot.patients.selectors import own_patient_record
from unknot.portal.next import next_up


@require_safe
@patient_only
def home(request: SignedInRequest) -> HttpResponse:
    """The portal opens on what comes next (`unknot.portal.next`), then the record and the
    person's details."""
    patient = own_patient_record(request.user)
    context = {
        "patient": patient,
        "next": next_up(request.user, timezone.now()),
        "to_sign": outstanding_for(patient),
    }
    return render(request, "portal/home.html", context)
