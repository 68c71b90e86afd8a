"""The staff area's own pages: the staff home and a clinic's overview. A domain's staff pages
live with their domain (patients, booking, plans, ...) and are mounted in this URL space."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unknot.accounts.access import staff_only
from unknot.clinics.selectors import clinics_visible_to, get_clinic_for, staff_at
from unknot.patients.selectors import search_patients
from unknot.patients.views_staff import PAGE_SIZE


@require_safe
@staff_only()
def dashboard(request: HttpRequest) -> HttpResponse:
    clinics = clinics_visible_to(request.user)
    return render(request, "staffarea/dashboard.html", {"clinics": clinics})


@require_safe
@staff_only()
def clinic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    patients = search_patients(request.user, "").filter(preferred_clinic=clinic)[:PAGE_SIZE]
    context = {"clinic": clinic, "staff": staff_at(clinic), "patients": patients}
    return render(request, "staffarea/clinic_detail.html", context)
