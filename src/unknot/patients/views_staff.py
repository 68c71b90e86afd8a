"""The staff's patient pages: the search list, a patient's page, adding and editing a patient."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients import hooks, services
from unknot.patients.forms import PatientForm
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for, get_patient_for_rw, search_patients

PAGE_SIZE = 50
# The staff patient search's words, kept on the server for the session (never in a URL).
SEARCH_KEY = "staff_patient_search"


@require_http_methods(["GET", "POST"])
@staff_only(ALL_STAFF_ROLES)  # the biller too
def patient_list(request: HttpRequest) -> HttpResponse:
    """The patient list. Search words arrive in a POST and wait in the server-side session,
    then the browser is sent back to the plain list URL: a name never sits in a URL, where
    server logs, proxies, the browser's history and Referer headers would keep it."""
    if request.method == "POST":
        _keep_search_words(request)
        return redirect("staffarea:patient_list")
    words = request.session.get(SEARCH_KEY, "")
    patients = search_patients(request.user, words)[:PAGE_SIZE]
    return render(request, "patients/staff/patient_list.html", {"patients": patients, "q": words})


def _keep_search_words(request: HttpRequest) -> None:
    """Remembers the words for this session only; "Clear search" (or none) forgets them."""
    words = "" if "clear" in request.POST else request.POST.get("q", "")[:100].strip()
    if words:
        request.session[SEARCH_KEY] = words
    else:
        request.session.pop(SEARCH_KEY, None)


@require_safe
@staff_only(ALL_STAFF_ROLES, break_glass=True)  # the biller too
def patient_detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    flags = hooks.page_flags(request.user, patient, timezone.now())
    context = {"patient": patient, "flags": flags}
    return render(request, "patients/staff/patient_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def patient_new(request: SignedInRequest) -> HttpResponse:
    clinics = clinics_visible_to(request.user)
    form = PatientForm(request.POST or None, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        patient = services.patient_create(by=request.user, patient=form.save(commit=False))
        messages.success(request, f"{patient.full_name} was added.")
        return redirect("staffarea:patient_detail", patient_id=patient.pk)
    return render(request, "patients/staff/patient_form.html", {"form": form, "patient": None})


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def patient_edit(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient: Patient = get_patient_for_rw(request.user, patient_id)
    clinics = clinics_visible_to(request.user)
    form = PatientForm(request.POST or None, instance=patient, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        services.patient_update(by=request.user, patient=form.save(commit=False))
        messages.success(request, "The details were saved.")
        return redirect("staffarea:patient_detail", patient_id=patient.pk)
    return render(request, "patients/staff/patient_form.html", {"form": form, "patient": patient})
