"""The staff's waitlist of a clinic: who waits, open offers, times filled; adding and removing.

Everyone at the clinic may read it; roles that write may add and remove (the auditor reads).
"""

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only
from unknot.booking.finding import finder_form, show_found
from unknot.booking.models import AppointmentType
from unknot.clinics import times
from unknot.clinics.selectors import get_clinic_for
from unknot.common.errors import attempt
from unknot.patients.selectors import patients_visible_to
from unknot.waitlist import selectors, services
from unknot.waitlist.forms import StaffWaitlistForm


@require_safe
@staff_only()
def clinic_waitlist(request: SignedInRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    now = timezone.now()
    context = {
        "clinic": clinic,
        "entries": selectors.waiting_at(request.user, clinic),
        "offers": selectors.open_offers(request.user, [clinic], now),
        "filled": selectors.recently_filled(request.user, [clinic], now),
        "can_write": may_write(request.user),
    }
    return render(request, "waitlist/staff/clinic_waitlist.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def add(request: SignedInRequest, slug: str) -> HttpResponse:
    """From the clinic's waitlist, or from a patient's page (which names the patient)."""
    clinic = get_clinic_for(request.user, slug)
    make = partial(
        StaffWaitlistForm, clinic=clinic, today=times.clinic_day(timezone.now(), clinic),
        types=AppointmentType.objects.filter(clinic=clinic, is_active=True),
    )  # fmt: skip
    patients = patients_visible_to(request.user).filter(preferred_clinic=clinic)
    named = {"patient": request.GET.get("patient", "")[:20]}
    form, finding = finder_form(request, make, patients, named)
    if request.method == "POST" and not finding and form.is_valid():
        data = form.cleaned_data
        joined = form.join(request, data["patient"], clinic)
        if joined is not None:
            messages.success(request, f"{joined.patient.full_name} is on the waitlist.")
            return redirect("staffarea:clinic_waitlist", slug=clinic.slug)
    searched = show_found(request, form, patients)
    context = {"form": form, "clinic": clinic, "searched": searched}
    return render(request, "waitlist/staff/add.html", context)


@require_POST
@staff_only(writes=True)
def remove(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = selectors.get_entry_for_rw(request.user, entry_id)
    attempt(
        request,
        lambda: services.entry_leave(by=request.user, entry=entry, now=timezone.now()),
        f"{entry.patient.full_name} is off the waitlist.",
    )
    return redirect("staffarea:clinic_waitlist", slug=entry.clinic.slug)
