"""A patient's account for staff: what each visit costs and still owes, the payments, taking a
payment and (billing office) adjusting; the ageing report; the statement and superbill PDFs.
Mounted at /staff/ in the namespace "staffarea"."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, staff_only, staff_role
from unknot.billing import documents, ledger
from unknot.billing.forms import AdjustmentForm, AsOfForm, PaymentForm
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import attempt
from unknot.common.money import dollars
from unknot.common.spreadsheets import csv_download
from unknot.coverage.models import Payer
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for

ZERO = Decimal("0.00")


def _patient(request: SignedInRequest, patient_id: int) -> Patient:
    return get_patient_for(request.user, patient_id, break_glass=False)


@require_safe
@staff_only(ledger.TAKES_PAYMENTS)
def patient_account(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    account = ledger.account_of(request.user, patient)
    context = {
        "patient": patient,
        "account": account,
        "payments": ledger.payments_of(request.user, patient),
        "adjustments": ledger.adjustments_of(account),
        "can_adjust": staff_role(request.user) in ledger.ADJUSTS,
    }
    return render(request, "billing/staff/account.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(ledger.TAKES_PAYMENTS, writes=True)
def payment_add(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    clinic = patient.preferred_clinic
    insurer_payments = staff_role(request.user) in ledger.ADJUSTS
    form = PaymentForm(
        request.POST or None, insurer_payments=insurer_payments,
        payers=Payer.objects.filter(practice=clinic.practice, active=True),
        initial={"received_on": times.clinic_day(timezone.now(), clinic)},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payment = ledger.PaymentInput(
            clinic=_desk_clinic(request, patient), method=data["method"], amount=data["amount"],
            received_on=data["received_on"], reference=data["reference"], patient=patient,
            payer=data.get("payer"),
        )  # fmt: skip
        done = f"Payment of {dollars(data['amount'])} recorded."
        if attempt(request, lambda: ledger.payment_record(by=request.user, data=payment), done,
                   form=form):  # fmt: skip
            return redirect("staffarea:patient_account", patient_id=patient.pk)
    return render(request, "billing/staff/payment.html", {"form": form, "patient": patient})


def _desk_clinic(request: SignedInRequest, patient: Patient) -> Clinic:
    """Where the money was taken: the patient's clinic if it is the user's, else the user's
    first clinic (the service refuses a clinic that is not theirs)."""
    mine = clinics_visible_to(request.user)
    if mine.filter(pk=patient.preferred_clinic_id).exists():
        return patient.preferred_clinic
    return mine.order_by("name").first() or patient.preferred_clinic


@require_http_methods(["GET", "POST"])
@staff_only(ledger.ADJUSTS, writes=True)
def adjustment_add(request: SignedInRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    charges = ledger.charges_owed_visible_to(request.user).filter(patient=patient)
    form = AdjustmentForm(request.POST or None, charges=charges)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def adjust() -> object:
            return ledger.adjustment_make(
                by=request.user, charge=data["charge"], amount=data["amount"],
                reason=data["reason"], note=data["note"],
            )  # fmt: skip

        if attempt(request, adjust, "Adjustment recorded.", form=form):
            return redirect("staffarea:patient_account", patient_id=patient.pk)
    return render(request, "billing/staff/adjustment.html", {"form": form, "patient": patient})


@require_safe
@staff_only(ledger.ADJUSTS)
def ageing_report(request: SignedInRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
        today = form.cleaned_data["date"]
    report = ledger.ageing_by_payer(request.user, today)
    if request.GET.get("format") == "csv":
        return _ageing_csv(report, today)
    rows = [(payer, list(buckets.values()), sum(buckets.values(), ZERO))
            for payer, buckets in report.items()]  # fmt: skip
    totals = [sum((row[1][i] for row in rows), ZERO) for i in range(len(ledger.BUCKETS))]
    context = {
        "rows": rows, "buckets": ledger.BUCKETS, "totals": totals,
        "grand_total": sum(totals, ZERO), "today": today, "form": form,
    }  # fmt: skip
    return render(request, "billing/staff/ageing.html", context)


def _ageing_csv(report: dict[str, dict[str, Decimal]], today: dt.date) -> HttpResponse:
    return csv_download(
        f"ageing-{today.isoformat()}.csv", ["payer", *ledger.BUCKETS],
        [[payer, *(f"{owed[b]:.2f}" for b in ledger.BUCKETS)] for payer, owed in report.items()],
    )  # fmt: skip


@require_safe
@staff_only(ledger.TAKES_PAYMENTS)
def statement_pdf(request: SignedInRequest, patient_id: int) -> HttpResponse:
    return documents.statement(request.user, _patient(request, patient_id))


@require_safe
@staff_only(ledger.TAKES_PAYMENTS)
def superbill_pdf(request: SignedInRequest, patient_id: int) -> HttpResponse:
    return documents.superbill(request.user, _patient(request, patient_id))
