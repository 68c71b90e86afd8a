"""Adding a coverage, one page for the patient in the portal and the front desk: the payers on
the practice's list, the card's details and images, and what follows. Only who may open it,
the template, the thanks and where it leads differ."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from unknot.accounts.access import SignedInRequest
from unknot.clinics import times
from unknot.common.errors import attempt
from unknot.coverage import selectors, services
from unknot.coverage.forms import CoverageForm
from unknot.patients.models import Patient

# Two card images and the form's fields.
UPLOAD_LIMIT = 2 * (5 * 1024 * 1024) + 256 * 1024


def patient_today(patient: Patient) -> dt.date:
    """Today where the patient is seen: coverage dates are the clinic's calendar days."""
    return times.clinic_day(timezone.now(), patient.preferred_clinic)


def add_coverage_page(
    request: SignedInRequest,
    patient: Patient,
    *,
    template: str,
    context: dict[str, Any],
    thanks: str,
    then: str,
) -> HttpResponse:
    """GET shows the form, from today; a valid POST files the coverage, says `thanks` and goes
    to the URL `then`."""
    form = CoverageForm(
        request.POST or None, request.FILES or None,
        payers=selectors.payers_visible_to(request.user).filter(active=True),
        initial={"effective_from": patient_today(patient)},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.coverage_add(
                by=request.user, patient=patient, details=form.details(), images=form.images()
            ),
            form=form,
        )
        if done is not None:
            messages.success(request, thanks)
            return redirect(then)
    return render(request, template, {**context, "form": form})
