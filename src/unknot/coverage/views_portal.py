"""The patient's own insurance in the portal: what is on file, adding a coverage (a payer
from the practice's list, the card's details and images), or saying they pay themselves."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.common.errors import attempt
from unknot.common.uploads import accepts_uploads
from unknot.coverage import card_views, selectors, services
from unknot.coverage.adding import UPLOAD_LIMIT, add_coverage_page, patient_today
from unknot.coverage.selectors import get_coverage_for
from unknot.patients.selectors import own_patient_record


@require_safe
@patient_only
def my_coverage(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    today = patient_today(patient)
    found = selectors.patient_coverage(request.user, patient, today)
    return render(request, "coverage/portal/my_coverage.html", {"patient": patient, "found": found})


@require_http_methods(["GET", "POST"])
@patient_only
@accepts_uploads(UPLOAD_LIMIT)
def add(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    return add_coverage_page(
        request, patient, template="coverage/portal/add.html", context={},
        thanks="Thank you: your insurance is with us.", then=reverse("portal:coverage"),
    )  # fmt: skip


@require_POST
@patient_only
def self_pay(request: SignedInRequest) -> HttpResponse:
    """From today, at the patient's clinic: the page's one button says so."""
    patient = own_patient_record(request.user)
    today = patient_today(patient)
    attempt(
        request,
        lambda: services.self_pay_declare(by=request.user, patient=patient, since=today),
        "Thank you: we have noted that you pay for your own care.",
    )
    return redirect("portal:coverage")


@require_safe
@patient_only
def card(request: SignedInRequest, coverage_id: int, side: str) -> HttpResponse:
    coverage = get_coverage_for(request.user, coverage_id)
    return card_views.card_response(request.user, coverage, side)
