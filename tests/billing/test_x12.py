"""The 837P claim file (issue 16): its loops and segments, checked against the 005010X222A1
implementation guide by pyx12, and what it refuses."""

import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyx12.params import params as Pyx12Params
from pyx12.x12n_document import x12n_document

from tests.billing.claims import (
    GROUP_NPI,
    HOME,
    INTERCHANGE,
    OKAFOR_NPI,
    PRACTICE,
    RECEIVER,
    REFERRING,
    REFERRING_NPI,
    RIVERA_NPI,
    SUBMITTER,
    dependent_claim,
    medicare_claim,
)
from unknot.billing.x12 import (
    SEPARATORS,
    Claim,
    ClaimFileError,
    Person,
    Subscriber,
    amount,
    claim_file,
    diagnosis_code,
    text,
)


def file_of(*claims: Claim, **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "interchange": INTERCHANGE,
        "submitter": SUBMITTER,
        "receiver": RECEIVER,
        "billing_provider": PRACTICE,
        "claims": list(claims),
    }
    return claim_file(**{**arguments, **changes})


def segments(x12: str) -> list[list[str]]:
    return [segment.split("*") for segment in x12.split("~") if segment]


def segment_texts(x12: str) -> list[str]:
    return [segment for segment in x12.split("~") if segment]


def pyx12_report(x12: str) -> tuple[bool, list[str]]:
    """pyx12's verdict on the file against its 005010X222A1 map, with every error it found."""
    report = io.StringIO()
    valid = x12n_document(Pyx12Params(), io.StringIO(x12), None, None, fd_json=report)
    return valid, list(_errors(json.loads(report.getvalue())))


def _errors(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "errors":
                yield from (json.dumps(error) for error in value)
            else:
                yield from _errors(value)
    elif isinstance(node, list):
        for item in node:
            yield from _errors(item)


def assert_valid(x12: str) -> None:
    valid, errors = pyx12_report(x12)
    assert errors == []
    assert valid


# ---- Valid files ------------------------------------------------------------------------


def test_a_medicare_claim_passes_the_implementation_guide() -> None:
    assert_valid(file_of(medicare_claim()))


def test_a_dependents_commercial_claim_passes_the_implementation_guide() -> None:
    assert_valid(file_of(dependent_claim()))


def test_several_claims_in_one_file_pass_the_implementation_guide() -> None:
    x12 = file_of(dependent_claim(), medicare_claim(), dependent_claim(patient_control_number="C3"))
    assert_valid(x12)
    levels = [s[1:5] for s in segments(x12) if s[0] == "HL"]
    assert levels == [
        ["1", "", "20", "1"],
        ["2", "1", "22", "1"],
        ["3", "2", "23", "0"],
        ["4", "1", "22", "0"],
        ["5", "1", "22", "1"],
        ["6", "5", "23", "0"],
    ]


def test_a_test_file_is_marked_as_one_and_passes() -> None:
    x12 = file_of(medicare_claim(), interchange=replace(INTERCHANGE, production=False))
    assert segments(x12)[0][15] == "T"
    assert_valid(x12)


# ---- The loops and segments -------------------------------------------------------------


def test_a_patient_who_is_the_subscriber_has_no_patient_loop() -> None:
    x12 = file_of(medicare_claim())
    texts = segment_texts(x12)
    assert "HL*2*1*22*0" in texts
    assert "SBR*P*18*******MB" in texts
    assert "NM1*IL*1*DOE*JOHN*Q***MI*1EG4TE5MK73" in texts
    assert "DMG*D8*19500304*M" in texts
    assert "NM1*PR*2*MEDICARE PART B*****PI*06102" in texts
    assert not [s for s in segments(x12) if s[0] in ("PAT",) or s[:2] == ["NM1", "QC"]]


def test_a_dependent_patient_has_the_patient_loop_under_the_subscriber() -> None:
    texts = segment_texts(file_of(dependent_claim()))
    start = texts.index("HL*2*1*22*1")
    assert texts[start : start + 3] == [
        "HL*2*1*22*1",
        "SBR*P**G-5500******CI",  # no relationship code: the subscriber is someone else
        "NM1*IL*1*LEE*MARIA****MI*XJH123456789",
    ]
    patient = texts.index("HL*3*2*23*0")
    assert texts[patient : patient + 6] == [
        "HL*3*2*23*0",
        "PAT*19",
        "NM1*QC*1*LEE*SAM",
        "N3*5 ELM ST*APT 3",
        "N4*SPRINGFIELD*IL*62702",
        "DMG*D8*20120709*F",
    ]


def test_the_billing_provider_is_the_group_with_its_npi_tax_id_and_zip_plus_four() -> None:
    texts = segment_texts(file_of(medicare_claim()))
    start = texts.index("HL*1**20*1")
    assert texts[start : start + 6] == [
        "HL*1**20*1",
        "PRV*BI*PXC*225100000X",
        f"NM1*85*2*RIVERSIDE PHYSICAL THERAPY*****XX*{GROUP_NPI}",
        "N3*100 MAIN ST",
        "N4*SPRINGFIELD*IL*627011234",
        "REF*EI*123456789",
    ]


def test_the_claim_carries_its_total_place_and_diagnoses_without_dots() -> None:
    texts = segment_texts(file_of(medicare_claim()))
    assert "CLM*CLM1001*237.75***11:B:1*Y*A*Y*Y" in texts
    assert "HI*ABK:M5450*ABF:M6281*ABF:Z96651" in texts


def test_the_referring_and_rendering_providers_follow_the_claim() -> None:
    texts = segment_texts(file_of(medicare_claim()))
    start = texts.index(f"NM1*DN*1*CHEN*LI****XX*{REFERRING_NPI}")
    assert texts[start + 1 : start + 3] == [
        f"NM1*82*1*RIVERA*ANA****XX*{RIVERA_NPI}",
        "PRV*PE*PXC*225100000X",
    ]


def test_without_a_referring_provider_there_is_no_2310a() -> None:
    x12 = file_of(medicare_claim(referring_provider=None))
    assert not [s for s in segments(x12) if s[:2] == ["NM1", "DN"]]
    assert_valid(x12)


def test_the_lines_carry_their_modifiers_units_charges_pointers_and_dates() -> None:
    texts = segment_texts(file_of(medicare_claim()))
    start = texts.index("LX*1")
    assert texts[start:][:9] == [
        "LX*1",
        "SV1*HC:97110:GP:KX*120*UN*2***1:2",
        "DTP*472*D8*20261201",
        "LX*2",
        "SV1*HC:97140:GP:KX:59*55.5*UN*1***2",
        "DTP*472*D8*20261201",
        "LX*3",
        "SV1*HC:97530:GP:KX*62.25*UN*1***1:2:3",
        "DTP*472*D8*20261201",
    ]


def test_a_line_by_another_clinician_names_them_and_the_facility_is_the_clinics() -> None:
    texts = segment_texts(file_of(dependent_claim()))
    assert texts[texts.index("LX*3") :][:4] == [
        "LX*3",
        "SV1*HC:97112:GP:59*35.25*UN*1***4:3",
        "DTP*472*D8*20261201",
        f"NM1*82*1*OKAFOR*CHIDI****XX*{OKAFOR_NPI}",
    ]
    # Lines 1 and 2 are the claim's own clinician's: no 2420A there.
    assert sum(1 for t in texts if t.startswith("NM1*82*")) == 2
    assert texts[texts.index("NM1*77*2*RIVERSIDE PT EASTSIDE") + 1] == "N3*42 OAK AVE"
    assert "REF*G1*AUTH-2026-88" in texts


def test_the_counts_and_control_numbers_match() -> None:
    parts = segments(file_of(medicare_claim(), dependent_claim()))
    st, se = parts.index(["ST", "837", "0001", "005010X222A1"]), len(parts) - 3
    assert parts[se] == ["SE", str(se - st + 1), "0001"]
    assert parts[0][13] == "000004711" and parts[-1] == ["IEA", "1", "000004711"]
    assert parts[1][6] == "4711" and parts[-2] == ["GE", "1", "4711"]
    assert parts[1][8] == "005010X222A1"


def test_the_interchange_header_has_its_fixed_width() -> None:
    x12 = file_of(medicare_claim())
    isa = x12[: x12.index("~") + 1]
    assert len(isa) == 106
    assert isa.endswith("*^*00501*000004711*0*P*:~")
    assert isa[35:51] == "RIVPT01        *"  # the sender, padded to 15
    assert isa[54:70] == "PRAIRIECH      *"  # the receiver


# ---- The validator catches a broken file ------------------------------------------------


def break_segment(x12: str, prefix: str, replacement: str | None) -> str:
    texts = segment_texts(x12)
    index = next(i for i, t in enumerate(texts) if t.startswith(prefix))
    if replacement is None:
        del texts[index]
    else:
        texts[index] = replacement
    return "".join(t + "~" for t in texts)


def test_pyx12_catches_a_wrong_segment_count() -> None:
    x12 = file_of(medicare_claim())
    count = int(next(s for s in segments(x12) if s[0] == "SE")[1])
    valid, errors = pyx12_report(break_segment(x12, "SE*", f"SE*{count + 1}*0001"))
    assert not valid
    assert errors


def test_pyx12_catches_a_missing_required_segment() -> None:
    valid, errors = pyx12_report(break_segment(file_of(medicare_claim()), "REF*EI", None))
    assert not valid
    assert errors


def test_pyx12_catches_mismatched_control_numbers() -> None:
    valid, errors = pyx12_report(break_segment(file_of(medicare_claim()), "IEA", "IEA*1*000004712"))
    assert not valid
    assert errors


# ---- Free text --------------------------------------------------------------------------


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize(
    "change",
    [
        lambda c, bad: replace(
            c, subscriber=replace(c.subscriber, person=replace(c.subscriber.person, last_name=bad))
        ),
        lambda c, bad: replace(c, payer=replace(c.payer, name=bad)),
        lambda c, bad: replace(
            c,
            subscriber=replace(
                c.subscriber, person=replace(c.subscriber.person, address=replace(HOME, line1=bad))
            ),
        ),
        lambda c, bad: replace(c, patient_control_number=bad),
    ],
    ids=["name", "payer", "address", "control-number"],
)
def test_free_text_with_a_separator_is_refused(separator: str, change: Any) -> None:
    claim = change(medicare_claim(), f"O{separator}Brien")
    with pytest.raises(ClaimFileError, match=f'contains "\\{separator}"'):
        file_of(claim)


def test_accents_are_folded_and_spaces_collapsed() -> None:
    patient = Person("Núñez  O'Brien", "José\tLuis", date(1980, 1, 2), "M", HOME)
    x12 = file_of(medicare_claim(subscriber=Subscriber(patient, "1EG4TE5MK73")))
    assert "NM1*IL*1*NUNEZ O'BRIEN*JOSE LUIS****MI*1EG4TE5MK73" in segment_texts(x12)
    assert_valid(x12)


def test_characters_a_claim_cannot_carry_are_refused() -> None:
    with pytest.raises(ClaimFileError, match=r"cannot carry: 🙂$"):
        text("Zoë 🙂", "The patient's first name", 35)


@given(st.text(max_size=40))
def test_text_never_lets_a_separator_through(value: str) -> None:
    try:
        cleaned = text(value, "A field", 60)
    except ClaimFileError:
        return
    assert cleaned and not any(separator in cleaned for separator in SEPARATORS)
    assert cleaned == cleaned.strip().upper()


# ---- What else is refused ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"total": Decimal("237.70")}, "not the sum of its lines"),
        ({"diagnosis_codes": ()}, "1 to 12 diagnosis codes"),
        ({"diagnosis_codes": ("M54.50", "M62.81", "M5450")}, "listed twice"),
        ({"diagnosis_codes": ("M54.50", "M62.81", "545.0")}, "not an ICD-10-CM"),
        ({"lines": ()}, "1 to 50 service lines"),
        ({"place_of_service": "office"}, "two digits"),
        ({"filing_indicator": "XX"}, "claim filing indicator"),
        ({"relationship": "19"}, "dependent patient's own details"),
        ({"payer_responsibility": "Q"}, "P, S or T"),
        ({"referring_provider": replace(REFERRING, npi="1003000127")}, "not a valid NPI"),
    ],
)
def test_a_claim_that_cannot_be_written_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ClaimFileError, match=message):
        file_of(medicare_claim(**changes))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"diagnosis_pointers": (4,)}, "points to diagnosis 4, but the claim lists 3"),
        ({"diagnosis_pointers": (0,)}, "points to diagnosis 0"),
        ({"diagnosis_pointers": ()}, "1 to 4 diagnosis pointers"),
        ({"diagnosis_pointers": (1, 2, 3, 1)}, "points to a diagnosis twice"),
        ({"modifiers": ("GP", "KX", "59", "XU", "76")}, "more than 4 modifiers"),
        ({"modifiers": ("G",)}, 'modifier "G"'),
        ({"procedure_code": "9711"}, "not a CPT or HCPCS code"),
        ({"units": 0}, "at least one unit"),
        ({"charge": Decimal("120.001")}, "whole number of cents"),
    ],
)
def test_a_line_that_cannot_be_written_is_refused(changes: dict[str, Any], message: str) -> None:
    claim = medicare_claim()
    first = replace(claim.lines[0], **changes)
    total = sum((ln.charge for ln in (first, *claim.lines[1:])), Decimal(0))
    with pytest.raises(ClaimFileError, match=message):
        file_of(replace(claim, lines=(first, *claim.lines[1:]), total=total))


def test_four_pointers_and_four_modifiers_are_the_most_and_pass() -> None:
    claim = medicare_claim(diagnosis_codes=("M54.50", "M62.81", "Z96.651", "R26.89"))
    first = replace(
        claim.lines[0], modifiers=("GP", "KX", "59", "XU"), diagnosis_pointers=(4, 3, 2, 1)
    )
    x12 = file_of(replace(claim, lines=(first, *claim.lines[1:])))
    assert "SV1*HC:97110:GP:KX:59:XU*120*UN*2***4:3:2:1" in segment_texts(x12)
    assert_valid(x12)


def test_the_billing_provider_needs_a_street_address_with_zip_plus_four_and_a_tax_id() -> None:
    five = replace(PRACTICE, address=replace(PRACTICE.address, zip_code="62701"))
    with pytest.raises(ClaimFileError, match="nine digits"):
        file_of(medicare_claim(), billing_provider=five)
    for box in ("PO Box 12", "P.O. Box 12", "p o box 12"):
        boxed = replace(PRACTICE, address=replace(PRACTICE.address, line1=box))
        with pytest.raises(ClaimFileError, match="not a PO box"):
            file_of(medicare_claim(), billing_provider=boxed)
    with pytest.raises(ClaimFileError, match="tax id"):
        file_of(medicare_claim(), billing_provider=replace(PRACTICE, ein="123456789"))


def test_the_patient_needs_an_address_and_a_birth_date() -> None:
    claim = dependent_claim()
    assert claim.patient is not None
    with pytest.raises(ClaimFileError, match="The patient's address is missing"):
        file_of(replace(claim, patient=replace(claim.patient, address=None)))
    subscriber = replace(claim.subscriber.person, address=HOME)
    with pytest.raises(ClaimFileError, match="The subscriber's date of birth is missing"):
        file_of(medicare_claim(subscriber=replace(claim.subscriber, person=subscriber)))


def test_the_interchange_control_number_has_nine_digits_at_most() -> None:
    with pytest.raises(ClaimFileError, match="interchange control number"):
        file_of(medicare_claim(), interchange=replace(INTERCHANGE, control_number=10**9))


def test_amounts_and_diagnoses_in_the_files_forms() -> None:
    assert [amount(Decimal(v), "x") for v in ("100.00", "100.50", "0.05", "0")] == [
        "100",
        "100.5",
        "0.05",
        "0",
    ]
    assert diagnosis_code(" s83.511a ") == "S83511A"
