"""Staff pages of a payer's authorisations: a patient's (every coverage), one coverage's, and
adding and changing one. Everyone at the patient's clinics may read them; the front desk,
managers, the owner and the biller may change them (`authorisations.AUTHORISATION_WRITERS`).
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.clinics import times
from unknot.common.errors import attempt
from unknot.coverage import authorisations as auth
from unknot.coverage.forms_authorisations import AuthorisationForm
from unknot.coverage.models import Coverage
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for

WRITERS = auth.AUTHORISATION_WRITERS


def _page(request: SignedInRequest, patient: Patient, coverages: list[Coverage]) -> HttpResponse:
    clinic = patient.preferred_clinic
    context = {
        "patient": patient,
        "listed": auth.listed_for(request.user, coverages),
        "today": times.clinic_day(timezone.now(), clinic),
        "can_change": auth.may_change(request.user),
    }
    return render(request, "coverage/staff/authorisations.html", context)


@require_safe
@staff_only(ALL_STAFF_ROLES)
def patient_authorisations(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, break_glass=False)
    return _page(request, patient, auth.coverages_of(request.user, patient))


@require_safe
@staff_only(ALL_STAFF_ROLES)
def coverage_authorisations(request: SignedInRequest, coverage_id: int) -> HttpResponse:
    coverage = auth.get_coverage_for(request.user, coverage_id)
    return _page(request, coverage.patient, [coverage])


@require_http_methods(["GET", "POST"])
@staff_only(WRITERS, writes=True)
def authorisation_add(request: SignedInRequest, coverage_id: int) -> HttpResponse:
    coverage = auth.get_coverage_for_rw(request.user, coverage_id)
    form = AuthorisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.as_input()
        added = attempt(
            request,
            lambda: auth.authorisation_add(by=request.user, coverage=coverage, data=data),
            "The authorization was added.",
            form=form,
        )
        if added is not None:
            return redirect("staffarea:coverage_authorisations", coverage_id=coverage.pk)
    context = {"form": form, "coverage": coverage, "authorisation": None}
    return render(request, "coverage/staff/authorisation_form.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(WRITERS, writes=True)
def authorisation_edit(request: SignedInRequest, authorisation_id: int) -> HttpResponse:
    row = auth.get_authorisation_for_rw(request.user, authorisation_id)
    form = AuthorisationForm(request.POST or None, initial=AuthorisationForm.initial_of(row))
    if request.method == "POST" and form.is_valid():
        changed = attempt(
            request,
            lambda: auth.authorisation_update(
                by=request.user, authorisation=row, data=form.as_input()
            ),
            "The authorization was saved.",
            form=form,
        )
        if changed is not None:
            return redirect("staffarea:coverage_authorisations", coverage_id=row.coverage_id)
    context = {"form": form, "coverage": row.coverage, "authorisation": row}
    return render(request, "coverage/staff/authorisation_form.html", context)
