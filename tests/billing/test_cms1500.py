"""The CMS-1500 (02/12) boxes of a claim, for its printable summary (issue 16)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from tests.billing.claims import (
    OKAFOR_NPI,
    PRACTICE,
    REFERRING_NPI,
    RIVERA_NPI,
    dependent_claim,
    medicare_claim,
)
from unknot.billing.cms1500 import Box, cms1500_boxes
from unknot.billing.x12 import Claim, ClaimFileError


def by_box(claim: Claim) -> dict[str, str]:
    boxes = cms1500_boxes(PRACTICE, claim)
    first_line_only = [b for b in boxes if not b.label.startswith("Line ") or "Line 1:" in b.label]
    return {b.box: b.value for b in first_line_only}


def test_a_medicare_claim_whose_patient_is_the_insured() -> None:
    boxes = by_box(medicare_claim())
    assert boxes["1"] == "Medicare"
    assert boxes["1a"] == "1EG4TE5MK73"
    assert boxes["2"] == boxes["4"] == "Doe, John, Q"
    assert boxes["3"] == "03/04/1950, Male"
    assert boxes["5"] == "5 Elm St, Apt 3, Springfield, IL 62702"
    assert boxes["6"] == "Self"
    assert boxes["11c"] == "Medicare Part B"
    assert (boxes["17"], boxes["17b"]) == ("Chen, Li", REFERRING_NPI)
    assert "23" not in boxes and "32" not in boxes


def test_a_dependent_is_the_patient_and_the_parent_the_insured() -> None:
    boxes = by_box(dependent_claim())
    assert boxes["1"] == "Group health plan"
    assert boxes["2"] == "Lee, Sam"
    assert boxes["3"] == "07/09/2012, Female"
    assert boxes["4"] == "Lee, Maria"
    assert boxes["6"] == "Child"
    assert boxes["7"] == "" and boxes["11a"] == "Unknown"  # the insured known by name alone
    assert boxes["11"] == "G-5500"
    assert boxes["23"] == "AUTH-2026-88"
    assert boxes["32"] == "Riverside PT Eastside, 42 Oak Ave, Springfield, IL 62703-4321"
    assert "17" not in boxes


def test_diagnoses_are_lettered_and_the_lines_point_at_letters() -> None:
    boxes = cms1500_boxes(PRACTICE, dependent_claim())
    diagnoses = [(b.box, b.value) for b in boxes if b.box.startswith("21")]
    assert diagnoses == [
        ("21", "0 (ICD-10-CM)"),
        ("21A", "S83511A"),
        ("21B", "M25561"),
        ("21C", "M6281"),
        ("21D", "R2689"),
    ]
    pointers = [b.value for b in boxes if b.box == "24E"]
    assert pointers == ["A", "ABCD", "DC"]


def test_each_line_has_its_date_place_procedure_charge_units_and_clinician() -> None:
    boxes = cms1500_boxes(PRACTICE, dependent_claim())
    third = [(b.box, b.value) for b in boxes if b.label.startswith("Line 3:")]
    assert third == [
        ("24A", "12/01/2026"),
        ("24B", "11"),
        ("24D", "97112 GP 59"),
        ("24E", "DC"),
        ("24F", "$35.25"),
        ("24G", "1"),
        ("24J", OKAFOR_NPI),
    ]
    assert [b.value for b in boxes if b.box == "24J"][:2] == [RIVERA_NPI, RIVERA_NPI]


def test_the_totals_and_the_billing_provider_close_the_form() -> None:
    claim = medicare_claim()
    lines = (replace(claim.lines[0], charge=Decimal("1200")), *claim.lines[1:])
    boxes = by_box(replace(claim, lines=lines, total=Decimal("1317.75")))
    assert boxes["25"] == "12-3456789"
    assert boxes["26"] == "CLM1001"
    assert boxes["27"] == "Yes"
    assert boxes["28"] == "$1,317.75"
    assert boxes["33"] == "Riverside Physical Therapy, 100 Main St, Springfield, IL 62701-1234"
    assert boxes["33a"] == PRACTICE.npi


def test_the_boxes_follow_the_forms_order() -> None:
    order = [b.box for b in cms1500_boxes(PRACTICE, medicare_claim())]
    numbers = [int("".join(c for c in box if c.isdigit())) for box in order]
    assert numbers == sorted(numbers)
    box, label, value = cms1500_boxes(PRACTICE, medicare_claim())[0]
    assert (box, label, value) == ("1", "Type of insurance", "Medicare")
    assert all(isinstance(b, Box) and b.label for b in cms1500_boxes(PRACTICE, medicare_claim()))


def test_a_bad_diagnosis_code_is_refused_as_the_file_refuses_it() -> None:
    with pytest.raises(ClaimFileError, match="not an ICD-10-CM"):
        cms1500_boxes(PRACTICE, medicare_claim(diagnosis_codes=("545.0",)))
