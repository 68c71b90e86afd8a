"""A claim as the boxes of the paper claim form CMS-1500 (02/12), for a printable summary.

Pure: the same input as the 837P file (unknot.billing.x12), mapped to the form's box numbers
and labels as the NUCC instruction manual names them, with values a person reads (dates as
MM/DD/YYYY, money as $1,234.56). The codes the form itself asks for (place of service, CPT,
modifiers, diagnoses) stay codes. A claim the file would refuse for a bad diagnosis code is
refused here the same way (ClaimFileError), so the two never disagree on a code.
"""

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from unknot.common.money import dollars

from .x12 import (
    SELF,
    Address,
    BillingProvider,
    Claim,
    ClaimFileError,
    Person,
    ServiceLine,
    diagnosis_code,
)

# Box 1, the type of insurance, from the claim filing indicator (SBR09); the rest is "Other".
INSURANCE_TYPES = {
    "MA": "Medicare",
    "MB": "Medicare",
    "MC": "Medicaid",
    "CH": "TRICARE",
    "VA": "CHAMPVA",
    "BL": "Group health plan",
    "CI": "Group health plan",
    "HM": "Group health plan",
    "12": "Group health plan",
    "13": "Group health plan",
    "14": "Group health plan",
    "15": "Group health plan",
    "16": "Group health plan",
}
RELATIONSHIPS = {SELF: "Self", "01": "Spouse", "19": "Child"}  # box 6; the rest is "Other"
SEXES = {"M": "Male", "F": "Female", "U": "Unknown"}
# Box 24E points at the diagnoses of box 21 by letter, A to L.
DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"
SIGNATURE_ON_FILE = "Signature on file"


class Box(NamedTuple):
    """One box: unpacks as (box, label, value)."""

    box: str  # the form's number, e.g. "24D"
    label: str
    value: str


def us_date(day: date | None) -> str:
    """The form's dates, month first: 12/01/2026."""
    return "" if day is None else f"{day:%m/%d/%Y}"


def _name(last: str, first: str, middle: str = "") -> str:
    return ", ".join(part for part in (last, first, middle) if part)


def _person_name(person: Person) -> str:
    return _name(person.last_name, person.first_name, person.middle_name)


def _address(address: Address | None) -> str:
    if address is None:
        return ""
    street = ", ".join(line for line in (address.line1, address.line2) if line)
    return f"{street}, {address.city}, {address.state} {address.zip_code}"


def _birth_and_sex(person: Person) -> str:
    return ", ".join(v for v in (us_date(person.birth_date), SEXES.get(person.sex, "")) if v)


def _patient_and_insured(claim: Claim) -> Iterator[Box]:
    insured = claim.subscriber.person
    patient = claim.patient or insured
    yield Box("1", "Type of insurance", INSURANCE_TYPES.get(claim.filing_indicator, "Other"))
    yield Box("1a", "Insured's ID number", claim.subscriber.member_id)
    yield Box("2", "Patient's name", _person_name(patient))
    yield Box("3", "Patient's birth date and sex", _birth_and_sex(patient))
    yield Box("4", "Insured's name", _person_name(insured))
    yield Box("5", "Patient's address", _address(patient.address))
    yield Box(
        "6",
        "Patient relationship to insured",
        RELATIONSHIPS.get(claim.relationship, "Other"),
    )
    yield Box("7", "Insured's address", _address(insured.address))
    yield Box("11", "Insured's policy group or FECA number", claim.subscriber.group_number)
    yield Box("11a", "Insured's date of birth and sex", _birth_and_sex(insured))
    yield Box("11c", "Insurance plan name or program name", claim.payer.name)
    yield Box("12", "Patient's or authorized person's signature", SIGNATURE_ON_FILE)
    yield Box("13", "Insured's or authorized person's signature", SIGNATURE_ON_FILE)


def _diagnosis_letters(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    if len(codes) > len(DIAGNOSIS_LETTERS):
        raise ClaimFileError(f"A claim lists {len(DIAGNOSIS_LETTERS)} diagnoses at most.")
    return list(zip(DIAGNOSIS_LETTERS, (diagnosis_code(c) for c in codes), strict=False))


def _claim_information(claim: Claim) -> Iterator[Box]:
    referring = claim.referring_provider
    if referring is not None:
        name = _name(referring.last_name, referring.first_name)
        yield Box("17", "Name of referring provider (DN)", name)
        yield Box("17b", "Referring provider's NPI", referring.npi)
    yield Box("21", "ICD indicator", "0 (ICD-10-CM)")
    for letter, code in _diagnosis_letters(claim.diagnosis_codes):
        yield Box(f"21{letter}", f"Diagnosis {letter}", code)
    if claim.prior_authorization:
        yield Box("23", "Prior authorization number", claim.prior_authorization)


def _pointer_letters(pointers: tuple[int, ...]) -> str:
    return "".join(
        DIAGNOSIS_LETTERS[p - 1] if 1 <= p <= len(DIAGNOSIS_LETTERS) else "?" for p in pointers
    )


def _service_line(claim: Claim, line: ServiceLine, number: int) -> Iterator[Box]:
    where = f"Line {number}"
    procedure = " ".join((line.procedure_code, *line.modifiers))
    yield Box("24A", f"{where}: date of service", us_date(line.service_date))
    yield Box("24B", f"{where}: place of service", claim.place_of_service)
    yield Box("24D", f"{where}: procedure and modifiers", procedure)
    yield Box("24E", f"{where}: diagnosis pointer", _pointer_letters(line.diagnosis_pointers))
    yield Box("24F", f"{where}: charges", dollars(line.charge))
    yield Box("24G", f"{where}: days or units", str(line.units))
    yield Box("24J", f"{where}: rendering provider's NPI", line.rendering_provider.npi)


def _totals_and_providers(claim: Claim, billing_provider: BillingProvider) -> Iterator[Box]:
    yield Box("25", "Federal tax ID number (EIN)", billing_provider.ein)
    yield Box("26", "Patient's account number", claim.patient_control_number)
    yield Box("27", "Accept assignment", "Yes")
    yield Box("28", "Total charge", dollars(claim.total))
    facility = claim.service_facility
    if facility is not None:
        yield Box(
            "32", "Service facility location", f"{facility.name}, {_address(facility.address)}"
        )
        if facility.npi:
            yield Box("32a", "Service facility's NPI", facility.npi)
    billing = f"{billing_provider.name}, {_address(billing_provider.address)}"
    yield Box("33", "Billing provider", billing)
    yield Box("33a", "Billing provider's NPI", billing_provider.npi)


def cms1500_boxes(billing_provider: BillingProvider, claim: Claim) -> list[Box]:
    """The claim's boxes in the form's order. The paper form holds six lines; a longer claim
    is printed on as many forms as it needs, so the lines are listed here in full."""
    boxes = [*_patient_and_insured(claim), *_claim_information(claim)]
    for number, line in enumerate(claim.lines, start=1):
        boxes += _service_line(claim, line, number)
    boxes += _totals_and_providers(claim, billing_provider)
    return boxes
