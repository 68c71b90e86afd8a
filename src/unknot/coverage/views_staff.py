"""A patient's insurance and payment for staff, and the practice's payer list.

Everyone at the patient's clinic may read; those who take insurance may change it
(`roles.COVERAGE_WRITERS`); the payer list is changed by `roles.PAYER_WRITERS`.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.common.errors import attempt
from unknot.common.uploads import accepts_uploads
from unknot.coverage import card_views, selectors, services
from unknot.coverage.adding import UPLOAD_LIMIT, add_coverage_page, patient_today
from unknot.coverage.forms import CoverageForm, EndForm, PayerForm, SelfPayForm
from unknot.coverage.roles import COVERAGE_WRITERS, PAYER_WRITERS
from unknot.coverage.selectors import get_coverage_for, get_coverage_for_rw
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for


def _patient_rw(request: SignedInRequest, patient_id: int) -> Patient:
    patient = get_patient_for(request.user, patient_id, break_glass=False)
    selectors.ensure_may_change_coverage(request.user)
    return patient


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def patient_coverage(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, break_glass=False)
    context = {
        "patient": patient,
        "found": selectors.patient_coverage(request.user, patient, patient_today(patient)),
        "can_write": selectors.may_write_coverage(request.user),
    }
    return render(request, "coverage/staff/patient_coverage.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(COVERAGE_WRITERS, writes=True)
@accepts_uploads(UPLOAD_LIMIT)
def coverage_add(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = _patient_rw(request, patient_id)
    return add_coverage_page(
        request, patient, template="coverage/staff/coverage_form.html",
        context={"patient": patient, "coverage": None}, thanks="The coverage is on file.",
        then=reverse("staffarea:patient_coverage", kwargs={"patient_id": patient.pk}),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_only(COVERAGE_WRITERS, writes=True)
@accepts_uploads(UPLOAD_LIMIT)
def coverage_edit(request: SignedInRequest, coverage_id: int) -> HttpResponse:
    coverage = get_coverage_for_rw(request.user, coverage_id)
    payers = selectors.payers_visible_to(request.user)
    form = CoverageForm(
        request.POST or None, request.FILES or None, initial=CoverageForm.initial_from(coverage),
        payers=payers.filter(active=True) | payers.filter(pk=coverage.payer_id),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.coverage_edit(
                by=request.user, coverage=coverage, details=form.details(), images=form.images()
            ),
            form=form,
        )
        if done is not None:
            return _back_to(request, coverage.patient, "The coverage is changed.")
    return render(
        request, "coverage/staff/coverage_form.html",
        {"form": form, "patient": coverage.patient, "coverage": coverage},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_only(COVERAGE_WRITERS, writes=True)
def coverage_end(request: SignedInRequest, coverage_id: int) -> HttpResponse:
    coverage = get_coverage_for_rw(request.user, coverage_id)
    form = EndForm(request.POST or None, initial={"last_day": patient_today(coverage.patient)})
    if request.method == "POST" and form.is_valid():
        last_day = form.cleaned_data["last_day"]
        done = attempt(
            request,
            lambda: services.coverage_end(by=request.user, coverage=coverage, last_day=last_day),
            form=form,
        )
        if done is not None:
            return _back_to(request, coverage.patient, "The coverage is ended.")
    return render(request, "coverage/staff/end.html", {"form": form, "coverage": coverage})


@require_http_methods(["GET", "POST"])
@staff_only(COVERAGE_WRITERS, writes=True)
def self_pay(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = _patient_rw(request, patient_id)
    form = SelfPayForm(request.POST or None, initial={"since": patient_today(patient)})
    if request.method == "POST" and form.is_valid():
        since = form.cleaned_data["since"]
        done = attempt(
            request,
            lambda: services.self_pay_declare(by=request.user, patient=patient, since=since),
            form=form,
        )
        if done is not None:
            return _back_to(request, patient, f"{patient.first_name} pays for their own care.")
    return render(request, "coverage/staff/self_pay.html", {"form": form, "patient": patient})


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def coverage_card(request: SignedInRequest, coverage_id: int, side: str) -> HttpResponse:
    coverage = get_coverage_for(request.user, coverage_id)
    return card_views.card_response(request.user, coverage, side)


def _back_to(request: SignedInRequest, patient: Patient, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("staffarea:patient_coverage", patient_id=patient.pk)


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def payer_list(request: SignedInRequest) -> HttpResponse:
    context = {
        "payers": selectors.payers_visible_to(request.user),
        "can_write": selectors.may_write_payers(request.user),
    }
    return render(request, "coverage/staff/payer_list.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(PAYER_WRITERS, writes=True)
def payer_add(request: SignedInRequest) -> HttpResponse:
    form = PayerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request, lambda: services.payer_add(by=request.user, details=form.details()),
            form=form,
        )  # fmt: skip
        if done is not None:
            return _to_payers(request, f"{done.name} is on the payer list.")
    return render(request, "coverage/staff/payer_form.html", {"form": form, "payer": None})


@require_http_methods(["GET", "POST"])
@staff_only(PAYER_WRITERS, writes=True)
def payer_edit(request: SignedInRequest, payer_id: int) -> HttpResponse:
    payer = selectors.get_payer_for_rw(request.user, payer_id)
    form = PayerForm(request.POST or None, initial=PayerForm.initial_from(payer))
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.payer_edit(by=request.user, payer=payer, details=form.details()),
            form=form,
        )
        if done is not None:
            return _to_payers(request, f"{done.name} is changed.")
    return render(request, "coverage/staff/payer_form.html", {"form": form, "payer": payer})


def _to_payers(request: SignedInRequest, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("staffarea:payer_list")
