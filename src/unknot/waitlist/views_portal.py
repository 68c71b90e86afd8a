"""The patient's own waitlist in the portal: their places on it, joining, leaving."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.booking.eligibility import has_plan_of_care
from unknot.booking.models import OnlineBooking
from unknot.booking.selectors import online_types
from unknot.clinics import times
from unknot.common.errors import attempt
from unknot.patients.selectors import own_patient_record
from unknot.waitlist import services
from unknot.waitlist.forms import WaitlistForm
from unknot.waitlist.selectors import get_entry_for_rw, my_entries


@require_safe
@patient_only
def my_waitlist(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    context = {
        "patient": patient,
        "entries": my_entries(request.user),
        "may_join": has_plan_of_care(patient),
    }
    return render(request, "waitlist/portal/my_waitlist.html", context)


@require_http_methods(["GET", "POST"])
@patient_only
def join(request: SignedInRequest) -> HttpResponse:
    """For the follow-up visits the person may book themselves, at their own clinic."""
    patient = own_patient_record(request.user)
    clinic = patient.preferred_clinic
    if clinic is None or not has_plan_of_care(patient):
        messages.error(request, "You can join the waitlist once your evaluation is done.")
        return redirect("portal:waitlist")
    form = WaitlistForm(
        request.POST or None, clinic=clinic, today=times.clinic_day(timezone.now(), clinic),
        types=online_types(clinic, OnlineBooking.PATIENTS_WITH_PLAN),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        joined = form.join(request, patient, clinic)
        if joined is not None:
            messages.success(
                request, "You are on the waitlist. We will email you when a time frees up."
            )
            return redirect("portal:waitlist")
    return render(request, "waitlist/portal/join.html", {"form": form, "clinic": clinic})


@require_POST
@patient_only
def leave(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_rw(request.user, entry_id)
    attempt(
        request,
        lambda: services.entry_leave(by=request.user, entry=entry, now=timezone.now()),
        "You have left the waitlist for this visit.",
    )
    return redirect("portal:waitlist")
