"""Claims: approved insured charges grouped per coverage, the 837P file of chosen claims
(checked by pyx12), the CMS-1500 summary, the settings a file needs, and who may do what."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.audit.support import client_for
from tests.billing.claims import REFERRING_NPI
from tests.billing.support import REFERRER, charges, referred
from tests.billing.test_x12 import assert_valid
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.billing import claims
from unknot.billing.models import Charge, ChargeStatus, Claim, ClaimSettings, ClaimStatus
from unknot.common.errors import Refused
from unknot.coverage.models import Authorisation, Coverage, Payer, PlanType, Relationship
from unknot.patients.models import Patient
from unknot.plans import certification as cert

pytestmark = pytest.mark.django_db


def medicare(cast: Cast, **fields: Any) -> Coverage:
    payer = Payer.objects.create(
        practice=cast.clinic_a.practice, name="Medicare Part B", payer_id="12502",
        plan_type=PlanType.MEDICARE_B,
    )  # fmt: skip
    values = {"member_id": "1EG4TE5MK73", "effective_from": dt.date(2030, 1, 1)}
    values |= {"address_line": "12 Elm St", "city": "Albany", "state": "NY", "zip_code": "12207"}
    return Coverage.objects.create(patient=cast.patient_p, payer=payer, **(values | fields))


def ready_to_file(cast: Cast) -> None:
    practice = cast.clinic_a.practice
    practice.npi, practice.tax_id = "1234567893", "12-3456789"
    practice.save()
    ClaimSettings.objects.create(
        practice=practice, address_line="1 Test Street", city="Albany", state="NY",
        zip_code="12207-1234", submitter_id="SUB123", contact_name="Billing Office",
        contact_phone="5185550100", clearinghouse_name="Clearing House", clearinghouse_id="CH99",
    )  # fmt: skip


def test_approved_insured_charges_become_one_claim_per_coverage(cast: Cast) -> None:
    covered = medicare(cast)
    charges(cast, ("100.00", 10), ("80.00", 3), coverage=covered)
    charges(cast, ("60.00", 2))  # self-pay: never claimed
    (claim,) = claims.claims_make(by=cast.manager, now=timezone.now())
    assert claim.total == Decimal("180.00") and claim.payer.name == "Medicare Part B"
    assert set(claim.charges.values_list("status", flat=True)) == {ChargeStatus.BILLED}
    assert Charge.objects.filter(coverage__isnull=True, status=ChargeStatus.APPROVED).count() == 1
    assert claims.claims_make(by=cast.manager, now=timezone.now()) == []  # nothing twice


def test_the_claim_file_passes_the_x12_validator_and_sends_the_claims(cast: Cast) -> None:
    covered = medicare(cast)
    referred(cast, charges(cast, ("100.00", 10), ("80.00", 3), coverage=covered)[0])
    Authorisation.objects.create(
        coverage=covered, reference="AUTH77", authorised=12,
        start_date=dt.date(2030, 1, 1), end_date=dt.date(2032, 1, 1),
    )  # fmt: skip
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    text = claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    assert_valid(text)
    assert "CLM*U" in text and "SV1*HC:97110:GP*100*UN*2" in text and "REF*G1*AUTH77" in text
    assert "SBR*P*18" in text and "MB~" in text  # the patient is the subscriber; Medicare Part B
    assert f"~NM1*DN*1*PARK*HELEN****XX*{REFERRING_NPI}~NM1*82*" in text  # 2310A, then 2310B
    sent = Claim.objects.get()
    assert sent.status == ClaimStatus.SENT and sent.control_number == 1
    again = claims.claims_file(by=cast.manager, claims=[sent], now=timezone.now())
    assert "*000000002*" in again  # each file its own interchange control number


def test_a_dependents_claim_names_the_subscriber(cast: Cast) -> None:
    parent = {"subscriber_first_name": "Paula", "subscriber_last_name": "Parker",
              "subscriber_date_of_birth": dt.date(1960, 1, 2)}  # fmt: skip
    covered = medicare(cast, relationship=Relationship.CHILD, **parent)
    referred(cast, charges(cast, ("100.00", 10), coverage=covered)[0])
    ready_to_file(cast)
    text = claims.claims_file(
        by=cast.manager, claims=claims.claims_make(by=cast.manager, now=timezone.now()),
        now=timezone.now(),
    )  # fmt: skip
    assert_valid(text)
    assert "NM1*IL*1*PARKER*PAULA" in text and "PAT*19" in text


def test_a_file_is_refused_until_the_settings_and_identifiers_are_entered(cast: Cast) -> None:
    charges(cast, ("100.00", 10), coverage=medicare(cast))
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    with pytest.raises(Refused, match="claim settings"):
        claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    ready_to_file(cast)
    practice = cast.clinic_a.practice
    practice.npi = ""
    practice.save()
    with pytest.raises(Refused, match="group NPI"):
        claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    assert Claim.objects.get().status == ClaimStatus.READY


def test_a_claim_missing_the_subscribers_address_is_refused_in_plain_words(cast: Cast) -> None:
    Patient.objects.filter(pk=cast.patient_p.pk).update(address_line1="", city="", zip_code="")
    referred(cast, charges(cast, ("100.00", 10), coverage=medicare(cast, address_line=""))[0])
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    with pytest.raises(Refused, match="address is missing"):
        claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    page = client_for(cast.manager).get(reverse("staffarea:claim_detail", args=[made[0].pk]))
    assert "cannot be written yet" in page.content.decode()


def test_the_pages_make_claims_download_the_file_and_show_the_form(cast: Cast) -> None:
    referred(cast, charges(cast, ("100.00", 10), coverage=medicare(cast))[0])
    ready_to_file(cast)
    office = client_for(cast.manager)
    assert "Medicare Part B" in office.get(reverse("staffarea:claim_list")).content.decode()
    made = office.post(reverse("staffarea:claims_make"), follow=True).content.decode()
    assert "1 claim made." in made, made
    claim = Claim.objects.get()
    again = office.post(reverse("staffarea:claims_make"), follow=True).content.decode()
    assert "No charges waiting." in again
    summary = office.get(reverse("staffarea:claim_detail", args=[claim.pk])).content.decode()
    assert "CMS-1500" in summary and "1EG4TE5MK73" in summary
    assert "Park, Helen" in summary and REFERRING_NPI in summary  # boxes 17 and 17b
    answer = office.post(reverse("staffarea:claims_file"), {"claims": [claim.pk]})
    assert answer["Content-Type"] == "application/edi-x12"
    assert answer.content.startswith(b"ISA*")


def test_only_the_billing_office_at_its_clinics_makes_claims(cast: Cast) -> None:
    charges(cast, ("100.00", 10), coverage=medicare(cast))
    for who in (cast.front_desk_a, cast.therapist_a):
        with pytest.raises(Refused):
            claims.claims_make(by=who, now=timezone.now())
    manager_b = factories.staff("manager_b", "manager", [cast.clinic_b])
    assert claims.claims_make(by=manager_b, now=timezone.now()) == []
    (claim,) = claims.claims_make(by=cast.manager, now=timezone.now())
    assert (
        client_for(manager_b).get(reverse("staffarea:claim_detail", args=[claim.pk])).status_code
        == 404
    )
    answer = client_for(manager_b).post(reverse("staffarea:claims_file"), {"claims": [claim.pk]})
    assert answer.status_code == 302 and Claim.objects.get().status == ClaimStatus.READY


def test_the_settings_form_checks_the_zip_plus_four_and_phone(cast: Cast) -> None:
    form = {"address_line": "1 Test Street", "city": "Albany", "state": "ny", "zip_code": "12207",
            "taxonomy": "225100000X", "submitter_id": "S1", "contact_name": "Office",
            "contact_phone": "555-0100", "clearinghouse_name": "CH",
            "clearinghouse_id": "C1"}  # fmt: skip
    page = client_for(cast.manager).post(reverse("staffarea:claim_settings"), form)
    assert "nine-digit ZIP+4" in page.content.decode() and "Ten digits" in page.content.decode()
    assert not ClaimSettings.objects.exists()
    fixed = form | {"zip_code": "122071234", "contact_phone": "(518) 555-0100"}
    client_for(cast.manager).post(reverse("staffarea:claim_settings"), fixed)
    saved = ClaimSettings.objects.get()
    assert (saved.zip_code, saved.state, saved.contact_phone) == ("12207-1234", "NY", "5185550100")


def test_a_medicare_claim_without_a_referring_physician_is_flagged_not_sent(cast: Cast) -> None:
    charges(cast, ("100.00", 10), coverage=medicare(cast))
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    with pytest.raises(Refused, match="no referring physician"):
        claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    assert Claim.objects.get().status == ClaimStatus.READY
    page = client_for(cast.manager).get(reverse("staffarea:claim_detail", args=[made[0].pk]))
    text = page.content.decode()
    assert "cannot be written yet" in text and "no referring physician" in text
    assert "1EG4TE5MK73" in text and "Referring provider" not in text  # the boxes, without 17


def test_another_payers_claim_without_a_referring_physician_is_sent_without_2310a(
    cast: Cast,
) -> None:
    covered = medicare(cast)
    Payer.objects.filter(pk=covered.payer_id).update(plan_type=PlanType.COMMERCIAL)
    charges(cast, ("100.00", 10), coverage=covered)
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    text = claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    assert_valid(text)
    assert "NM1*DN" not in text and "CI~" in text


def test_the_claim_names_the_physician_certifying_its_first_day(cast: Cast) -> None:
    (charge,) = charges(cast, ("100.00", 10), coverage=medicare(cast))
    first = referred(cast, charge)
    cert.certification_certify(
        certification_id=first.pk, typed_name="Helen Park", attests=True, now=mc.NOW
    )
    # Sent to another physician later (say, for the recertification): not yet answered.
    referred(cast, charge, replace(REFERRER, first_name="Omar", last_name="Haddad"))
    ready_to_file(cast)
    made = claims.claims_make(by=cast.manager, now=timezone.now())
    text = claims.claims_file(by=cast.manager, claims=made, now=timezone.now())
    assert_valid(text)
    assert f"NM1*DN*1*PARK*HELEN****XX*{REFERRING_NPI}~" in text and "HADDAD" not in text
