"""The biller's pages: a clinic's charges to review, one charge with its actions (approve,
correct, hold, release), and the clinic's fee schedule.

Billers, managers and the owner use them (`BILLING_ROLES`, every one of them writes); other
roles are refused, and a charge of another clinic is "not found".
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import BILLING_ROLES
from unknot.billing import charging, selectors, services
from unknot.billing.forms_review import (
    CorrectionForm,
    FeeForm,
    HoldForm,
    QueueFilterForm,
    line_formset,
)
from unknot.billing.models import Charge, ChargeStatus
from unknot.care.codes import CPT_LABELS
from unknot.clinics.selectors import get_clinic_for
from unknot.clinics.times import day_label
from unknot.common.errors import attempt
from unknot.common.money import dollars

MONEY_READS = staff_only(BILLING_ROLES)
MONEY_PAGES = staff_only(BILLING_ROLES, writes=True)


def _shown(charge: Charge) -> dict[str, Any]:
    """A charge as the pages show it: its lines with the code's words, and the KX picture."""
    return {
        "charge": charge,
        "lines": [(line, CPT_LABELS.get(line.code, "")) for line in charge.lines.all()],
        "kx": selectors.kx_picture(charge),
        "billed_to": selectors.billed_to(charge),
        "progress_report": selectors.includes_progress_report(charge),
        "referring": selectors.referring_picture(charge),
    }


@require_safe
@MONEY_READS
def charge_queue(request: SignedInRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    query = QueueFilterForm(request.GET or None)
    status, day = query.chosen()
    queue = selectors.review_queue(request.user, clinic, status=status, day=day)
    context = {
        "clinic": clinic, "query": query, "status_label": ChargeStatus(status).label,
        "day": day, "charges": [_shown(charge) for charge in queue.charges],
        "total": queue.total,
    }  # fmt: skip
    return render(request, "billing/staff/charge_queue.html", context)


@require_safe
@MONEY_READS
def charge_detail(request: SignedInRequest, charge_id: int) -> HttpResponse:
    charge = selectors.get_charge_for(request.user, charge_id)
    context = _shown(charge) | {
        "corrections": selectors.corrections_of(charge),
        "hold_form": HoldForm(),
        "cpt_labels": CPT_LABELS,
    }
    return render(request, "billing/staff/charge_detail.html", context)


def _back(charge: Charge) -> HttpResponse:
    return redirect("staffarea:charge_detail", charge_id=charge.pk)


@require_POST
@MONEY_PAGES
def charge_approve(request: SignedInRequest, charge_id: int) -> HttpResponse:
    charge = selectors.get_charge_for(request.user, charge_id)
    done = attempt(
        request,
        lambda: services.charge_approve(by=request.user, charge=charge, now=timezone.now()),
        "The charge is approved.",
    )
    if done is not None:
        return redirect("staffarea:charge_queue", slug=charge.clinic.slug)
    return _back(charge)


@require_POST
@MONEY_PAGES
def charge_hold(request: SignedInRequest, charge_id: int) -> HttpResponse:
    charge = selectors.get_charge_for(request.user, charge_id)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
        return _back(charge)
    attempt(
        request,
        lambda: services.charge_hold(by=request.user, charge=charge,
                                     reason=form.cleaned_data["reason"], now=timezone.now()),
        "The charge is on hold.",
    )  # fmt: skip
    return _back(charge)


@require_POST
@MONEY_PAGES
def charge_release(request: SignedInRequest, charge_id: int) -> HttpResponse:
    charge = selectors.get_charge_for(request.user, charge_id)
    attempt(
        request,
        lambda: services.charge_release(by=request.user, charge=charge, now=timezone.now()),
        "The charge is released for review.",
    )
    return _back(charge)


@require_http_methods(["GET", "POST"])
@MONEY_PAGES
def charge_correct(request: SignedInRequest, charge_id: int) -> HttpResponse:
    charge = selectors.get_charge_for(request.user, charge_id)
    data = request.POST if request.method == "POST" else None
    lines = line_formset(data, charge)
    form = CorrectionForm(data, initial={"diagnosis_codes": " ".join(charge.diagnosis_codes)})
    if data is not None and lines.is_valid() and form.is_valid():
        edits = [edit for line in lines.forms if (edit := line.edit()) is not None]
        corrected = attempt(
            request,
            lambda: services.charge_correct(
                by=request.user, charge=charge, lines=edits, diagnosis_codes=form.codes(),
                reason=form.cleaned_data["reason"], now=timezone.now(),
            ),
            "The charge is corrected; what it was is kept below.",
            form=form,
        )  # fmt: skip
        if corrected is not None:
            warn_of_claims_to_correct(request, corrected)
            return _back(charge)
    context = {"charge": charge, "lines": lines, "form": form}
    return render(request, "billing/staff/charge_correct.html", context)


def warn_of_claims_to_correct(request: SignedInRequest, corrected: Charge) -> None:
    """The patient's later Medicare charges that year follow a correction's running total,
    except those on a claim already sent: the biller is told which claims may need correcting."""
    behind = charging.claimed_out_of_step(corrected)
    if behind:
        named = ", ".join(
            f"{day_label(row.charge.service_date)} (claim U{row.charge.claim_id})" for row in behind
        )
        messages.warning(
            request,
            f"Later charges already on a claim that was sent keep their Medicare running total "
            f"and KX: {named}. Their claims may need correcting.",
        )


@require_http_methods(["GET", "POST"])
@MONEY_PAGES
def fee_schedule(request: SignedInRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    form = FeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def set_fee() -> Any:
            amount = services.checked_amount(data["amount"])
            return services.fee_set(by=request.user, clinic=clinic, code=data["code"],
                                    amount=amount)  # fmt: skip

        fee = attempt(request, set_fee, form=form)
        if fee is not None:
            messages.success(request, f"The fee for {fee.code} is now {dollars(fee.amount)}.")
            return redirect("staffarea:fee_schedule", slug=clinic.slug)
    fees = selectors.fee_schedule(request.user, clinic)
    context = {
        "clinic": clinic, "form": form,
        "fees": [(fee, CPT_LABELS.get(fee.code, "")) for fee in fees],
    }  # fmt: skip
    return render(request, "billing/staff/fee_schedule.html", context)
