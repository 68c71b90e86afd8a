"""The claims the billing tests write: a Medicare claim whose patient is the subscriber, and a
commercial claim of a dependent child with two clinicians and a facility of its own."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from unknot.billing.x12 import (
    Address,
    BillingProvider,
    Claim,
    Interchange,
    Payer,
    Person,
    Provider,
    Receiver,
    ServiceFacility,
    ServiceLine,
    Submitter,
    Subscriber,
)

# Test NPIs whose check digits are right (CMS's worked example is 1234567893).
GROUP_NPI = "1234567893"
RIVERA_NPI = "1245319599"
OKAFOR_NPI = "1497758544"
REFERRING_NPI = "1003000126"

DAY = date(2026, 12, 1)
INTERCHANGE = Interchange(control_number=4711, created_at=datetime(2026, 12, 7, 13, 30))
SUBMITTER = Submitter("Riverside Physical Therapy", "RIVPT01", "Jane Biller", "(217) 555-0100")
RECEIVER = Receiver("Prairie Clearinghouse", "PRAIRIECH")
PRACTICE = BillingProvider(
    "Riverside Physical Therapy",
    GROUP_NPI,
    "12-3456789",
    Address("100 Main St", "Springfield", "IL", "62701-1234"),
    taxonomy="225100000X",
)
RIVERA = Provider("Rivera", "Ana", RIVERA_NPI, taxonomy="225100000X")
OKAFOR = Provider("Okafor", "Chidi", OKAFOR_NPI)
REFERRING = Provider("Chen", "Li", REFERRING_NPI)
HOME = Address("5 Elm St", "Springfield", "IL", "62702", line2="Apt 3")


def line(code: str, modifiers: tuple[str, ...], units: int, charge: str, **changes: Any) -> Any:
    base = ServiceLine(code, modifiers, units, Decimal(charge), (1,), DAY, RIVERA)
    return replace(base, **changes)


def medicare_claim(**changes: Any) -> Claim:
    """Medicare Part B; the patient is the subscriber; KX past the threshold, 59 on 97140."""
    lines = (
        line("97110", ("GP", "KX"), 2, "120.00", diagnosis_pointers=(1, 2)),
        line("97140", ("GP", "KX", "59"), 1, "55.50", diagnosis_pointers=(2,)),
        line("97530", ("GP", "KX"), 1, "62.25", diagnosis_pointers=(1, 2, 3)),
    )
    claim = Claim(
        patient_control_number="CLM1001",
        payer=Payer("Medicare Part B", "06102"),
        subscriber=Subscriber(
            Person("Doe", "John", date(1950, 3, 4), "M", HOME, middle_name="Q"), "1EG4TE5MK73"
        ),
        filing_indicator="MB",
        total=Decimal("237.75"),
        place_of_service="11",
        diagnosis_codes=("M54.50", "M62.81", "Z96.651"),
        lines=lines,
        referring_provider=REFERRING,
    )
    return replace(claim, **changes)


def dependent_claim(**changes: Any) -> Claim:
    """Commercial; the patient is the subscriber's child, known to the payer by the parent's
    member id; the subscriber known by name alone; two clinicians, a facility of its own."""
    lines = (
        line("97161", ("GP",), 1, "150", diagnosis_pointers=(1,)),
        line("97110", ("GP",), 3, "90", diagnosis_pointers=(1, 2, 3, 4)),
        line(
            "97112", ("GP", "59"), 1, "35.25", diagnosis_pointers=(4, 3), rendering_provider=OKAFOR
        ),
    )
    claim = Claim(
        patient_control_number="CLM1002",
        payer=Payer("Acme Health Plan", "ACME1"),
        subscriber=Subscriber(Person("Lee", "Maria"), "XJH123456789", group_number="G-5500"),
        filing_indicator="CI",
        total=Decimal("275.25"),
        place_of_service="11",
        diagnosis_codes=("S83.511A", "M25.561", "M62.81", "R26.89"),
        lines=lines,
        patient=Person("Lee", "Sam", date(2012, 7, 9), "F", HOME),
        relationship="19",
        prior_authorization="AUTH-2026-88",
        service_facility=ServiceFacility(
            "Riverside PT Eastside", Address("42 Oak Ave", "Springfield", "IL", "62703-4321")
        ),
    )
    return replace(claim, **changes)
