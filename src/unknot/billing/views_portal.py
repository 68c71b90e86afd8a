"""The patient's bills in the portal: what each visit cost, what was paid, what is owed, and
the statement and superbill (to send to one's own insurer) as PDFs."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.billing import documents, ledger
from unknot.patients.selectors import own_patient_record


@require_safe
@patient_only
def my_bills(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    context = {
        "patient": patient,
        "account": ledger.account_of(request.user, patient),
        "payments": ledger.payments_of(request.user, patient),
    }
    return render(request, "billing/portal/bills.html", context)


@require_safe
@patient_only
def my_statement(request: SignedInRequest) -> HttpResponse:
    return documents.statement(request.user, own_patient_record(request.user))


@require_safe
@patient_only
def my_superbill(request: SignedInRequest) -> HttpResponse:
    return documents.superbill(request.user, own_patient_record(request.user))
