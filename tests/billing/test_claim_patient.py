"""The patient on a claim comes from the patient's record: loop 2010BA (the patient is the
subscriber) or 2010CA (a dependent) carries their own N3/N4 address and DMG03 sex, and the
CMS-1500 summary shows the same in boxes 2, 3 and 5. The files still pass pyx12."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.billing.support import charges, referred
from tests.billing.test_claims import medicare, ready_to_file
from tests.billing.test_x12 import assert_valid, segments
from tests.personas import Cast
from unknot.billing import claims
from unknot.common.errors import Refused
from unknot.coverage.models import Relationship
from unknot.patients.models import Patient, Sex

pytestmark = pytest.mark.django_db

PARENT = {
    "relationship": Relationship.CHILD, "subscriber_first_name": "Paula",
    "subscriber_last_name": "Parker", "subscriber_date_of_birth": dt.date(1960, 1, 2),
}  # fmt: skip
HOME = {
    "address_line1": "77 Birch Road", "address_line2": "Apt 4", "city": "Troy", "state": "NY",
    "zip_code": "12180-1234",
}  # fmt: skip


def patient_p(cast: Cast, **fields: Any) -> None:
    Patient.objects.filter(pk=cast.patient_p.pk).update(**fields)


def claim_file(cast: Cast, **coverage: Any) -> str:
    referred(cast, charges(cast, ("100.00", 10), coverage=medicare(cast, **coverage))[0])
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    text = claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    assert_valid(text)
    return text


def loop(text: str, opening: str, closing: str) -> list[list[str]]:
    """The segments from the NM1 of entity `opening` up to the next segment `closing`."""
    rows = segments(text)
    start = next(i for i, row in enumerate(rows) if row[:2] == ["NM1", opening])
    end = next(i for i, row in enumerate(rows) if i > start and row[0] == closing)
    return rows[start:end]


def whereabouts(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows if row[0] in ("N3", "N4", "DMG")}


def test_the_subscriber_who_is_the_patient_has_the_patients_address_and_sex(cast: Cast) -> None:
    patient_p(cast, sex=Sex.FEMALE, **HOME)
    text = claim_file(cast)  # the coverage keeps another address: the patient's own wins
    found = whereabouts(loop(text, "IL", "NM1"))
    assert found == {
        "N3": ["77 BIRCH ROAD", "APT 4"],
        "N4": ["TROY", "NY", "121801234"],
        "DMG": ["D8", "19850517", "F"],
    }
    assert not any(row[:2] == ["NM1", "QC"] for row in segments(text))


def test_a_dependent_has_their_own_address_and_sex_the_subscriber_the_coverages(
    cast: Cast,
) -> None:
    patient_p(cast, sex=Sex.MALE, **HOME)
    text = claim_file(cast, **PARENT)
    subscriber = whereabouts(loop(text, "IL", "NM1"))
    assert subscriber == {
        "N3": ["12 ELM ST"],
        "N4": ["ALBANY", "NY", "12207"],
        "DMG": ["D8", "19600102", "U"],  # the subscriber's sex is not recorded
    }
    patient = whereabouts(loop(text, "QC", "CLM"))
    assert patient == {
        "N3": ["77 BIRCH ROAD", "APT 4"],
        "N4": ["TROY", "NY", "121801234"],
        "DMG": ["D8", "19850517", "M"],
    }


def test_sex_not_recorded_is_sent_as_unknown(cast: Cast) -> None:
    assert Patient.objects.get(pk=cast.patient_p.pk).sex == Sex.UNKNOWN
    assert whereabouts(loop(claim_file(cast), "IL", "NM1"))["DMG"][-1] == "U"


def test_a_patient_with_no_address_of_their_own_shares_the_subscribers(cast: Cast) -> None:
    patient_p(cast, address_line1="", city="", state="", zip_code="")
    found = whereabouts(loop(claim_file(cast, **PARENT), "QC", "CLM"))
    assert found["N3"] == ["12 ELM ST"] and found["N4"] == ["ALBANY", "NY", "12207"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"city": ""}, "The subscriber's city is missing."),
        ({"zip_code": ""}, "ZIP"),
        ({"address_line1": "", "city": "", "state": "", "zip_code": ""}, "address is missing"),
    ],
    ids=["city", "zip", "all"],
)
def test_a_patients_incomplete_address_is_named_not_filled_in(
    cast: Cast, missing: dict[str, str], message: str
) -> None:
    """Part of the patient's own address is never topped up with the coverage's."""
    patient_p(cast, **missing)
    referred(cast, charges(cast, ("100.00", 10), coverage=medicare(cast, address_line=""))[0])
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    with pytest.raises(Refused, match=message):
        claims.claims_file(by=cast.manager, claims=made, now=timezone.now())


def test_the_cms1500_summary_shows_the_patients_sex_and_address(cast: Cast) -> None:
    patient_p(cast, sex=Sex.FEMALE, **HOME)
    referred(cast, charges(cast, ("100.00", 10), coverage=medicare(cast))[0])
    ready_to_file(cast)
    (claim,) = claims.claims_make(by=cast.manager, now=timezone.now())
    boxes = {box.box: box.value for box in claims.claim_boxes(cast.manager, claim)}
    assert boxes["2"] == "Parker, Penny"
    assert boxes["3"] == "05/17/1985, Female"
    assert boxes["5"] == "77 Birch Road, Apt 4, Troy, NY 12180-1234"
