"""The demo practice's business side (docs/billing.md): its identifiers and claim settings,
fee schedules, payers, who pays for each course of care, an authorization, and, once the
visits are signed (their charges made by the same hook as on the pages), charges reviewed, a
claim made, payments taken. Every identifier is fictional; the NPIs only pass the check digit.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Min

from unknot.billing import claims, ledger
from unknot.billing import services as billing
from unknot.billing.models import (
    AdjustmentReason,
    Charge,
    ChargeStatus,
    ClaimSettings,
    Fee,
    KxThreshold,
    PaymentMethod,
)  # fmt: skip
from unknot.care.charges import KX_THRESHOLDS
from unknot.clinics.models import Clinic, Practice, StaffMember
from unknot.clinics.times import clinic_day
from unknot.common.identifiers import npi_is_valid
from unknot.coverage.models import Authorisation, Coverage, Payer, PlanType, SelfPay
from unknot.patients.models import Patient

# The demo's fee per unit of each code the demo's visits bill (fictional, near common US fees).
FEES = {
    "97161": "145.00", "97162": "160.00", "97163": "175.00", "97164": "95.00",
    "97110": "52.00", "97112": "55.00", "97140": "48.00", "97530": "58.00", "97535": "50.00",
    "97010": "18.00",
}  # fmt: skip
PAYERS = [
    # name, payer id, plan type, counts no-shows
    ("Medicare Part B (Jurisdiction K)", "14212", PlanType.MEDICARE_B, False),
    ("Pinecone Health Plan", "PHP01", PlanType.COMMERCIAL, True),
]
# Who pays for each course of care: a payer's name, or None for self-pay.
PAID_BY = {
    "patient.brennan": "Medicare Part B (Jurisdiction K)",
    "patient.alvarez": "Pinecone Health Plan",
    "patient.farah": None,
}
COVERED_SINCE = dt.timedelta(days=730)


def npi_with_check_digit(first_nine: str) -> str:
    """A fictional NPI: nine digits and the Luhn digit the NPI check asks for."""
    return next(first_nine + d for d in "0123456789" if npi_is_valid(first_nine + d))


def before_the_visits(practice: Practice, clinics: dict[str, Clinic], now: dt.datetime) -> None:
    """What must be there before a visit is signed, so that its charge is made in full."""
    practice.npi, practice.tax_id = npi_with_check_digit("199900000"), "12-3456789"
    practice.save(update_fields=["npi", "tax_id"])
    ClaimSettings.objects.create(
        practice=practice, address_line="120 Harbour Street", city="Portland", state="ME",
        zip_code="04101-4321", submitter_id="UNKNOTDEMO", contact_name="Billing office",
        contact_phone="2075550100", clearinghouse_name="Demo Clearinghouse",
        clearinghouse_id="DEMOCH",
    )  # fmt: skip
    for number, member in enumerate(StaffMember.objects.order_by("pk"), start=1):
        member.npi = npi_with_check_digit(f"1{number:08d}")
        member.save(update_fields=["npi"])
    for clinic in clinics.values():
        Fee.objects.bulk_create(
            Fee(clinic=clinic, code=code, amount=Decimal(amount)) for code, amount in FEES.items()
        )
    payers = {
        name: Payer.objects.create(
            practice=practice,
            name=name,
            payer_id=payer_id,
            plan_type=plan_type,
            counts_no_shows=counts,
            address_line="PO Box 100",
            city="Augusta",
            region="ME",
            postcode="04330",
        )
        for name, payer_id, plan_type, counts in PAYERS
    }
    _who_pays(payers, now)
    _kx_threshold_for_unpublished_years(practice, now)


def _kx_threshold_for_unpublished_years(practice: Practice, now: dt.datetime) -> None:
    """The demo runs in any year. In a year the built-in table does not have yet, a real
    practice's Medicare charges wait on hold until the billing office enters that year's KX
    threshold (CHG-KX-YEAR); the demo enters the latest published value as its own setting, so
    that its charges show the rest of the flow (docs/billing.md, "In the demo")."""
    latest = max(KX_THRESHOLDS)
    for year in (now.year - 1, now.year):  # the demo's visits reach back into last year
        if year > latest:
            KxThreshold.objects.create(practice=practice, year=year, amount=KX_THRESHOLDS[latest])


def _who_pays(payers: dict[str, Payer], now: dt.datetime) -> None:
    since = (now - COVERED_SINCE).date()
    for username, payer_name in PAID_BY.items():
        patient = Patient.objects.get(user__username=username)
        if payer_name is None:
            SelfPay.objects.create(patient=patient, since=since)
            continue
        # Each holds their own plan: the claim takes their address from their record.
        coverage = Coverage.objects.create(
            patient=patient, payer=payers[payer_name], member_id=f"DEMO{patient.pk:06d}",
            group_number="G-100" if payer_name.startswith("Pinecone") else "",
            effective_from=since,
        )  # fmt: skip
        if payer_name.startswith("Pinecone"):
            Authorisation.objects.create(
                coverage=coverage, reference="PHP-AUTH-2231", authorised=12,
                start_date=since, end_date=(now + dt.timedelta(days=20)).date(),
                note="12 visits of physical therapy for low back pain",
            )  # fmt: skip


def after_the_visits(now: dt.datetime) -> None:
    """The billing office's work on the signed visits: the Medicare patient's charges approved
    and claimed, the self-pay patient's approved and paid in part at the desk; the commercial
    patient's charges left to review, so the queue shows work."""
    office = get_user_model().objects.get(username="owner")
    for username in ("patient.brennan", "patient.farah"):
        for charge in Charge.objects.filter(
            patient__user__username=username, status=ChargeStatus.TO_REVIEW
        ).order_by("service_date"):
            billing.charge_approve(by=office, charge=charge, now=now)
    claims.claims_make(by=office, now=now)
    _medicare_pays(office, now)
    farah = Patient.objects.get(user__username="patient.farah")
    first = Charge.objects.filter(patient=farah).aggregate(day=Min("service_date"))["day"]
    if first is not None:
        ledger.payment_record(
            by=office,
            data=ledger.PaymentInput(
                clinic=farah.preferred_clinic, method=PaymentMethod.CARD,
                amount=Decimal("80.00"), received_on=first, reference="terminal 0042",
                patient=farah,
            ),
        )  # fmt: skip


# What Medicare paid on Brennan's claim, posted by the billing office on the demo's day, and
# the part of a visit's fee above Medicare's allowed amount, written off: the billing reports
# then show payments and adjustments this month, and a balance still owed by Medicare.
MEDICARE_PAID = Decimal("240.00")
CONTRACTUAL = Decimal("15.00")


def _medicare_pays(office: Any, now: dt.datetime) -> None:
    brennan = Patient.objects.get(user__username="patient.brennan")
    medicare = Payer.objects.get(name=PAID_BY["patient.brennan"])
    if not Charge.objects.filter(patient=brennan, status=ChargeStatus.BILLED).exists():
        return
    ledger.payment_record(
        by=office,
        data=ledger.PaymentInput(
            clinic=brennan.preferred_clinic, method=PaymentMethod.INSURER, amount=MEDICARE_PAID,
            received_on=clinic_day(now, brennan.preferred_clinic), reference="EFT 884120",
            patient=brennan, payer=medicare,
        ),
    )  # fmt: skip
    owing = ledger.with_balances(Charge.objects.filter(patient=brennan, status=ChargeStatus.BILLED))
    written_off = owing.filter(balance__gte=CONTRACTUAL).order_by("service_date").first()  # type: ignore[misc]  # an annotation
    if written_off is not None:
        ledger.adjustment_make(
            by=office, charge=written_off, amount=CONTRACTUAL,
            reason=AdjustmentReason.CONTRACTUAL, note="Above Medicare's allowed amount",
        )  # fmt: skip
