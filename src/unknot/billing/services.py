"""A biller's work on charges (approve, correct, hold, release) and on a clinic's fee schedule.

Each write checks who asks (a biller, manager or owner of the charge's clinic), runs in one
transaction with the charge's row locked, and is recorded in the audit trail in that
transaction. A refusal is a `ChargeRefused` with words for the biller; nothing changes.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.models import User
from unknot.accounts.roles import BILLING_ROLES
from unknot.audit.models import Action
from unknot.billing import charging
from unknot.billing.models import ZERO, Charge, ChargeCorrection, ChargeLine, ChargeStatus, Fee
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused
from unknot.common.inputs import checked_note
from unknot.patients.models import Patient

CPT_CODE = re.compile(r"\d{4}[0-9A-Z]")  # five digits, or four and a letter (Category II/III)
MODIFIER = re.compile(r"[0-9A-Z]{2}")
ICD_10_CM = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")
MOST_UNITS = 24
MOST_MODIFIERS = 4  # a claim line carries up to four
MOST_FEE = Decimal("99999.99")
REASON_LENGTH = 500
# The states a biller may still change; billed and voided charges belong to their claim.
OPEN = (ChargeStatus.TO_REVIEW, ChargeStatus.HELD, ChargeStatus.APPROVED)


class ChargeRefused(Refused):
    code = "charge_refused"


@dataclass(frozen=True)
class LineEdit:
    """One line as the biller wants it: a code, its units and its modifiers."""

    code: str
    units: int
    modifiers: tuple[str, ...]


def _ensure_bills_at(by: User, clinic_id: int) -> None:
    if staff_role(by) not in BILLING_ROLES:
        raise PermissionDenied("Your role does not work on charges.")
    if not clinics_visible_to(by).filter(pk=clinic_id).exists():
        raise PermissionDenied("You do not work at this clinic.")


def _locked(by: User, charge: Charge) -> Charge:
    _ensure_bills_at(by, charge.clinic_id)
    return Charge.objects.select_for_update().select_related("clinic").get(pk=charge.pk)


def _recorded(by: User, charge: Charge, action: str, reason: str) -> None:
    audit.record(
        action, by=by, object_type="charge", object_id=charge.pk, patient_id=charge.patient_id,
        clinic_id=charge.clinic_id, reason=reason,
    )  # fmt: skip


def _reviewed(charge: Charge, by: User, now: dt.datetime, status: str, reason: str = "") -> None:
    charge.status, charge.hold_reason = status, reason
    charge.reviewed_by, charge.reviewed_at = by, now
    charge.save(update_fields=["status", "hold_reason", "reviewed_by", "reviewed_at"])


@transaction.atomic
def charge_approve(*, by: User, charge: Charge, now: dt.datetime) -> Charge:
    """The biller has checked the charge: it may go on a claim."""
    charge = _locked(by, charge)
    if charge.status != ChargeStatus.TO_REVIEW:
        raise ChargeRefused(f"Only a charge to review can be approved; this one is "
                            f"{charge.get_status_display().lower()}.")  # fmt: skip
    _reviewed(charge, by, now, ChargeStatus.APPROVED)
    _recorded(by, charge, Action.UPDATE, "approved")
    return charge


@transaction.atomic
def charge_hold(*, by: User, charge: Charge, reason: str, now: dt.datetime) -> Charge:
    """Kept back from claims, with the reason (waiting for a signature, a payer's answer...)."""
    charge = _locked(by, charge)
    reason = checked_note(reason, limit=REASON_LENGTH, refuse=ChargeRefused,
                          when_empty="Please say why the charge is held.")  # fmt: skip
    if charge.status not in (ChargeStatus.TO_REVIEW, ChargeStatus.APPROVED):
        raise ChargeRefused("Only a charge to review or approved can be held.")
    _reviewed(charge, by, now, ChargeStatus.HELD, reason)
    _recorded(by, charge, Action.UPDATE, "held")
    return charge


@transaction.atomic
def charge_release(*, by: User, charge: Charge, now: dt.datetime) -> Charge:
    """Back to review. A charge nobody corrected is priced again from its visit first (the fee
    schedule, the coverage or the year's threshold may have been put right since it was held);
    a corrected one keeps the biller's lines, priced again from the fee schedule. Refused,
    with the reasons, while something still stops it."""
    charge = _locked(by, charge)
    if charge.status != ChargeStatus.HELD:
        raise ChargeRefused("Only a held charge can be released.")
    Patient.objects.select_for_update().filter(pk=charge.patient_id).first()
    problems = _repriced(charge) if charge.corrections.exists() else _priced_again(charge)
    if problems:
        raise ChargeRefused("The charge stays on hold: " + " ".join(problems))
    _reviewed(charge, by, now, ChargeStatus.TO_REVIEW)
    _recorded(by, charge, Action.UPDATE, "released")
    return charge


def _priced_again(charge: Charge) -> list[str]:
    visit = charge.visit
    priced = charging.price(visit, leaving_out=charge.pk)
    if priced.problems:
        return priced.problems
    charge.lines.all().delete()
    charging.write_lines(charge, priced)
    charge.coverage, charge.diagnosis_codes = priced.coverage, priced.diagnosis_codes
    charge.total, charge.year_to_date_after = priced.total, priced.year_to_date_after
    charge.save(update_fields=["coverage", "diagnosis_codes", "total", "year_to_date_after"])
    charging.follow_running_totals(charge)
    return []


def _repriced(charge: Charge) -> list[str]:
    """The corrected lines with today's fees; the problems left (a fee, who pays)."""
    lines = list(charge.lines.all())
    fees, missing = charging.fees_for(charge.clinic, [line.code for line in lines])
    problems = [charging.no_fee(missing, charge.clinic)] if missing else []
    if charge.coverage is None:
        _, unknown = charging.coverage_on(charge.patient, charge.service_date)
        problems += [unknown] if unknown else []
    if problems:
        return problems
    _write_amounts(charge, lines, fees)
    return []


def _write_amounts(charge: Charge, lines: list[ChargeLine], fees: dict[str, Decimal]) -> None:
    before = charge.total
    for line in lines:
        line.fee = fees[line.code]
        line.amount = line.fee * line.units
    ChargeLine.objects.bulk_update(lines, ["fee", "amount"])
    charge.total = sum((line.amount for line in lines), ZERO)
    charge.save(update_fields=["total"])
    if charge.total != before:
        # CHG-KX: the year's amount after this visit, and after the later ones, follows.
        charging.follow_running_totals(charge)


# --- corrections ---------------------------------------------------------------------------


def _checked_lines(edits: list[LineEdit]) -> list[LineEdit]:
    kept = [edit for edit in edits if edit.code or edit.units]
    if not kept:
        raise ChargeRefused("A charge needs at least one line.")
    codes = [edit.code for edit in kept]
    if len(set(codes)) != len(codes):
        raise ChargeRefused("Each code goes on one line only: add the units together.")
    for edit in kept:
        if not CPT_CODE.fullmatch(edit.code):
            raise ChargeRefused(f"{edit.code or 'A line'}: a CPT code is five characters, "
                                "such as 97110.")  # fmt: skip
        if not 1 <= edit.units <= MOST_UNITS:
            raise ChargeRefused(f"{edit.code}: units must be from 1 to {MOST_UNITS}.")
        if len(edit.modifiers) > MOST_MODIFIERS:
            raise ChargeRefused(f"{edit.code}: a line carries at most {MOST_MODIFIERS} modifiers.")
        bad = [m for m in edit.modifiers if not MODIFIER.fullmatch(m)]
        if bad:
            raise ChargeRefused(f"{edit.code}: a modifier is two letters or digits, such as GP.")
        if len(set(edit.modifiers)) != len(edit.modifiers):
            raise ChargeRefused(f"{edit.code}: a modifier is listed twice.")
    return sorted(kept, key=lambda edit: edit.code)


def _checked_diagnoses(codes: list[str]) -> list[str]:
    if not codes:
        raise ChargeRefused("A charge needs at least one diagnosis code.")
    if len(codes) > charging.MOST_DIAGNOSES:
        raise ChargeRefused(f"A claim carries at most {charging.MOST_DIAGNOSES} diagnosis codes.")
    bad = [code for code in codes if not ICD_10_CM.fullmatch(code)]
    if bad:
        raise ChargeRefused(f"{bad[0]}: not an ICD-10-CM code (such as M54.50).")
    if len(set(codes)) != len(codes):
        raise ChargeRefused("A diagnosis code is listed twice.")
    return codes


def snapshot(charge: Charge) -> dict[str, object]:
    """The charge as it was, for its correction's `before`."""
    return {
        "lines": [
            {"code": line.code, "units": line.units, "modifiers": list(line.modifiers),
             "diagnosis_pointers": list(line.diagnosis_pointers), "fee": str(line.fee),
             "amount": str(line.amount)}
            for line in charge.lines.order_by("code", "pk")
        ],
        "diagnosis_codes": list(charge.diagnosis_codes),
        "total": str(charge.total),
    }  # fmt: skip


@transaction.atomic
def charge_correct(
    *,
    by: User,
    charge: Charge,
    lines: list[LineEdit],
    diagnosis_codes: list[str],
    reason: str,
    now: dt.datetime,
) -> Charge:
    """The biller's change to the lines (codes, units, modifiers) or the diagnosis codes, with
    the reason; the charge as it was is kept in a ChargeCorrection. Prices come from the
    clinic's fee schedule. An approved charge goes back to review; a held one stays held."""
    charge = _locked(by, charge)
    reason = checked_note(reason, limit=REASON_LENGTH, refuse=ChargeRefused,
                          when_empty="Please say why the charge is corrected.")  # fmt: skip
    if charge.status not in OPEN:
        raise ChargeRefused("A billed or voided charge can no longer be corrected.")
    edits = _checked_lines(lines)
    codes = _checked_diagnoses([code.strip().upper() for code in diagnosis_codes])
    fees, missing = charging.fees_for(charge.clinic, [edit.code for edit in edits])
    if missing:
        raise ChargeRefused(charging.no_fee(missing, charge.clinic) + " Add it first.")
    before = snapshot(charge)
    pointers = charging.pointers_for(codes)
    after = [
        {"code": e.code, "units": e.units, "modifiers": list(e.modifiers),
         "diagnosis_pointers": pointers, "fee": str(fees[e.code]),
         "amount": str(fees[e.code] * e.units)}
        for e in edits
    ]  # fmt: skip
    if after == before["lines"] and codes == before["diagnosis_codes"]:
        raise ChargeRefused("Nothing was changed.")
    ChargeCorrection.objects.create(charge=charge, before=before, reason=reason, by=by, at=now)
    charge.lines.all().delete()
    made = ChargeLine.objects.bulk_create(
        ChargeLine(charge=charge, code=e.code, units=e.units, modifiers=list(e.modifiers),
                   diagnosis_pointers=pointers, fee=fees[e.code], amount=ZERO)
        for e in edits
    )  # fmt: skip
    charge.diagnosis_codes = codes
    charge.save(update_fields=["diagnosis_codes"])
    _write_amounts(charge, made, fees)
    if charge.status == ChargeStatus.APPROVED:
        _reviewed(charge, by, now, ChargeStatus.TO_REVIEW)
    _recorded(by, charge, Action.UPDATE, "corrected")
    return charge


# --- the fee schedule ----------------------------------------------------------------------


def checked_amount(text: object) -> Decimal:
    """A fee as typed ($ and commas allowed): from $0.00 to $99,999.99, to the cent."""
    cleaned = str(text).strip().replace("$", "").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ChargeRefused("Please give the fee as an amount, such as 95.00.") from None
    if not amount.is_finite() or amount < 0 or amount > MOST_FEE:
        raise ChargeRefused("A fee is from $0.00 to $99,999.99.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ChargeRefused("A fee is to the cent: at most two digits after the point.")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def fee_set(*, by: User, clinic: Clinic, code: str, amount: Decimal) -> Fee:
    """The clinic's fee per unit of a code, new or changed. Charges made before keep their
    prices; a held charge released afterwards is priced with the new fee."""
    _ensure_bills_at(by, clinic.pk)
    code = code.strip().upper()
    if not CPT_CODE.fullmatch(code):
        raise ChargeRefused("A CPT code is five characters, such as 97110.")
    amount = checked_amount(amount)
    fee, created = Fee.objects.select_for_update().update_or_create(
        clinic=clinic, code=code, defaults={"amount": amount}
    )
    audit.record(
        Action.CREATE if created else Action.UPDATE, by=by, object_type="fee",
        object_id=fee.pk, clinic_id=clinic.pk, reason="fee_schedule",
    )  # fmt: skip
    return fee
