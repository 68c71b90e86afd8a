"""The patient's money on paper: the statement (what is owed) and the superbill (what a
self-pay patient sends their own insurer: the codes, the providers' NPIs and the practice's
tax id, what was paid). US Letter, rendered by unknot.documents; every print is audited."""

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from unknot.accounts.models import AnyUser
from unknot.audit import services as audit
from unknot.audit.models import Action
from unknot.billing import claims, ledger
from unknot.clinics import times
from unknot.documents import pdf
from unknot.patients.models import Patient


def _context(user: AnyUser, patient: Patient) -> dict[str, Any]:
    account = ledger.account_of(user, patient)
    clinic = patient.preferred_clinic
    charges = account.charges
    return {
        "patient": patient,
        "clinic": clinic,
        "practice": clinic.practice,
        "account": account,
        "payments": ledger.payments_of(user, patient),
        "diagnoses": claims.diagnoses_of(charges),
        "paid_total": sum((ledger.paid_of(c) for c in charges), Decimal("0.00")),
        "charged_total": sum((c.total for c in charges), Decimal("0.00")),
        "printed_on": times.clinic_day(timezone.now(), clinic),
    }


def statement(user: AnyUser, patient: Patient) -> HttpResponse:
    context = _context(user, patient)
    audit.exported(Action.PRINT, patient, "statement")
    content = pdf.render_pdf("billing/pdf/statement.html", context)
    return pdf.pdf_response(content, f"statement-{patient.last_name}")


def superbill(user: AnyUser, patient: Patient) -> HttpResponse:
    context = _context(user, patient)
    audit.exported(Action.PRINT, patient, "superbill")
    content = pdf.render_pdf("billing/pdf/superbill.html", context)
    return pdf.pdf_response(content, f"superbill-{patient.last_name}")
