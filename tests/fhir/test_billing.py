"""Coverage, ChargeItem and Claim: valid R4, searchable by patient and id, paged, and scoped
as the billing pages are (the clinic's billing office; the patient for their own)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.billing.support import TODAY, charges, charges_on, self_pay
from tests.billing.test_claims import medicare
from tests.exports.test_patient_export import BASE, bundle_of, references, resources
from tests.fhir.conftest import as_user, fhir, ids, outcome
from tests.web import matrix_clinical as mc
from unknot.audit.models import AuditEvent
from unknot.billing import claims
from unknot.billing.models import ChargeLine
from unknot.fhir.billing import HCPCS, MODIFIER_EXTENSION, SELF_PAY_SYSTEM
from unknot.fhir.refs import CPT, ICD10CM

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed(cast):
    """P on Medicare with two approved visits on one claim; Q pays for their own care."""
    coverage = medicare(cast, group_number="GRP-7")
    made = charges(cast, ("100.00", 10), ("80.00", 3), coverage=coverage)
    (claim,) = claims.claims_make(by=cast.manager, now=timezone.now())
    return coverage, made, claim, self_pay(cast.patient_q)


def test_coverage_and_self_pay_are_r4_coverages(cast, billed):
    coverage, _, _, paying = billed
    found = fhir(as_user(cast.front_desk_a).get(f"/fhir/Coverage/{coverage.pk}"))
    assert found["subscriberId"] == "1EG4TE5MK73" and found["order"] == 1
    assert found["payor"][0]["display"] == "Medicare Part B"
    assert found["class"][0]["value"] == "GRP-7"
    assert found["beneficiary"]["reference"] == f"Patient/{cast.patient_p.pk}"
    own = fhir(as_user(cast.patient_q.user).get(f"/fhir/Coverage/selfpay-{paying.pk}"))
    assert own["type"]["coding"][0] == {"system": SELF_PAY_SYSTEM, "code": "pay", "display": "Pay"}
    assert own["payor"] == [own["beneficiary"]]
    assert ids(fhir(as_user(cast.patient_p.user).get("/fhir/Coverage"))) == [str(coverage.pk)]


def test_coverage_of_others_is_not_found(cast, billed):
    coverage, _, _, paying = billed
    for user in (cast.therapist_b, cast.patient_q.user):
        outcome(as_user(user).get(f"/fhir/Coverage/{coverage.pk}"), 404)
        search = {"patient": str(cast.patient_p.pk)}
        assert fhir(as_user(user).get("/fhir/Coverage", search))["total"] == 0
    outcome(as_user(cast.patient_p.user).get(f"/fhir/Coverage/selfpay-{paying.pk}"), 404)
    outcome(as_user(cast.therapist_a).get("/fhir/Coverage/selfpay-x"), 404)


def test_coverage_search_pages_through_insurances_then_self_pay(cast, billed):
    coverage, *_ = billed
    paying = self_pay(cast.patient_p)  # both on file: a patient who was once self-pay
    client = as_user(cast.biller_a)
    first = fhir(client.get("/fhir/Coverage", {"patient": str(cast.patient_p.pk), "_count": 1}))
    assert first["total"] == 2 and ids(first) == [str(coverage.pk)]
    assert [link["relation"] for link in first["link"]] == ["self", "next"]
    second = fhir(client.get(first["link"][1]["url"]))
    assert ids(second) == [f"selfpay-{paying.pk}"]
    picked = fhir(client.get("/fhir/Coverage", {"_id": f"selfpay-{paying.pk}"}))
    assert ids(picked) == [f"selfpay-{paying.pk}"]
    assert "_id" in outcome(client.get("/fhir/Coverage", {"_id": "twelve"}), 400)


def test_a_coverage_search_reads_the_same_queries_however_its_page_falls(cast, billed):
    """Insurances and self-pays on one page, insurances filling it, or ending it exactly."""
    self_pay(cast.patient_p)
    client = as_user(cast.biller_a)
    client.get("/fhir/Coverage")  # the session's first request writes to it
    counted = []
    for size in (20, 1, 2):
        with CaptureQueriesContext(connection) as queries:
            fhir(client.get("/fhir/Coverage", {"_count": size}))
        counted.append(len(queries))
    assert counted[1:] == counted[:1] * 2


def test_charge_items_are_coded_lines_for_the_billing_office(cast, billed):
    _, made, _, _ = billed
    line = ChargeLine.objects.get(charge=made[0])
    client = as_user(cast.biller_a)
    found = fhir(client.get(f"/fhir/ChargeItem/{line.pk}"))
    assert found["code"]["coding"][0] == {"system": CPT, "code": "97110"}
    assert found["quantity"] == {"value": 2} and found["status"] == "billed"
    assert found["extension"] == [{"url": MODIFIER_EXTENSION, "valueCodeableConcept": {
        "text": "GP", "coding": [{"system": HCPCS, "code": "GP"}]}}]  # fmt: skip
    assert found["reason"][0]["coding"][0] == {"system": ICD10CM, "code": "M54.50"}
    assert found["priceOverride"] == {"value": 100.0, "currency": "USD"}
    listed = fhir(client.get("/fhir/ChargeItem", {"patient": f"Patient/{cast.patient_p.pk}"}))
    assert listed["total"] == 2
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    assert fhir(client.get("/fhir/ChargeItem", {"occurrence": f"ge{day}"}))["total"] == 1


def test_charge_items_are_the_billing_offices_and_the_patients_own(cast, billed):
    _, made, _, _ = billed
    line = ChargeLine.objects.get(charge=made[0])
    fhir(as_user(cast.patient_p.user).get(f"/fhir/ChargeItem/{line.pk}"))
    assert fhir(as_user(cast.patient_p.user).get("/fhir/ChargeItem"))["total"] == 2
    # The care team signs the note but does not see what it is billed for, as on the pages.
    for user in (cast.therapist_a, cast.front_desk_a, cast.therapist_b, cast.patient_q.user):
        outcome(as_user(user).get(f"/fhir/ChargeItem/{line.pk}"), 404)
        assert fhir(as_user(user).get("/fhir/ChargeItem"))["total"] == 0


def test_a_claim_says_what_its_837p_says(cast, billed, django_assert_max_num_queries):
    coverage, _, claim, _ = billed
    client = as_user(cast.biller_a)
    found = fhir(client.get(f"/fhir/Claim/{claim.pk}"))
    assert found["type"]["coding"][0]["code"] == "professional" and found["use"] == "claim"
    assert found["insurance"][0]["coverage"]["reference"] == f"Coverage/{coverage.pk}"
    assert found["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"] == "M54.50"
    assert [item["productOrService"]["coding"][0]["code"] for item in found["item"]] == [
        "97110", "97110"]  # fmt: skip
    assert found["item"][0]["modifier"][0]["coding"][0] == {"system": HCPCS, "code": "GP"}
    assert found["item"][0]["quantity"] == {"value": 2}
    assert found["item"][0]["diagnosisSequence"] == [1]
    assert found["total"] == {"value": 180.0, "currency": "USD"}
    with django_assert_max_num_queries(15):
        listed = fhir(client.get("/fhir/Claim", {"patient": str(cast.patient_p.pk)}))
    assert ids(listed) == [str(claim.pk)]
    assert ids(fhir(as_user(cast.patient_p.user).get("/fhir/Claim"))) == [str(claim.pk)]


def test_a_claim_search_reads_the_same_queries_for_one_claim_or_several(cast, billed):
    """A page of claims is fetched together (billing.claims.with_claim_input), not claim by
    claim: the search once read about five queries per claim."""
    coverage, made, _, _ = billed
    client = as_user(cast.biller_a)

    def queries_of_a_search() -> int:
        with CaptureQueriesContext(connection) as done:
            client.get("/fhir/Claim", {"patient": str(cast.patient_p.pk)})
        return len(done)

    client.get("/fhir/Claim")  # the session's first request since sign-in writes to it
    one = queries_of_a_search()
    episode = made[0].visit.episode
    for days in (20, 40):  # two more claims, each of one more visit
        visit = mc.visit(cast, episode, performed_on=TODAY - dt.timedelta(days=days))
        charges_on(cast, [visit], coverage)
        claims.claims_make(by=cast.manager, now=timezone.now())
    assert len(ids(fhir(client.get("/fhir/Claim", {"patient": str(cast.patient_p.pk)})))) == 3
    assert queries_of_a_search() == one


def test_claims_of_others_are_not_found(cast, billed):
    _, _, claim, _ = billed
    for user in (cast.therapist_a, cast.auditor, cast.therapist_b, cast.patient_q.user):
        outcome(as_user(user).get(f"/fhir/Claim/{claim.pk}"), 404)
        assert fhir(as_user(user).get("/fhir/Claim"))["total"] == 0


def test_billing_reads_are_recorded(cast, billed):
    claim = billed[2]
    before = AuditEvent.objects.count()
    as_user(cast.biller_a).get(f"/fhir/Claim/{claim.pk}")
    as_user(cast.biller_a).get("/fhir/ChargeItem")
    as_user(cast.therapist_b).get(f"/fhir/Claim/{claim.pk}")
    events = AuditEvent.objects.order_by("pk")[before:]
    kinds = [(e.object_type, e.object_id, e.reason, e.outcome) for e in events]
    assert ("claim", str(claim.pk), "", "allowed") in kinds
    assert ("charge", "", "list", "allowed") in kinds
    assert ("claim", str(claim.pk), "not_visible", "denied") in kinds


def test_the_patient_export_holds_coverage_charges_and_claims_as_the_reader_sees_them(cast, billed):
    coverage, _, claim, _ = billed
    own = bundle_of(as_user(cast.patient_p.user).get(reverse("exports:my_bundle")))
    assert ids({"entry": [{"resource": r} for r in resources(own, "Coverage")]}) == [
        str(coverage.pk)]  # fmt: skip
    assert len(resources(own, "ChargeItem")) == 2
    assert [r["id"] for r in resources(own, "Claim")] == [str(claim.pk)]
    full_urls = {e["fullUrl"] for e in own["entry"]}
    for entry in own["entry"]:
        for reference in references(entry["resource"]):
            assert BASE + reference in full_urls or reference.startswith("urn:uuid:")
    url = reverse("exports:patient_bundle", args=[cast.patient_p.pk])
    therapists = bundle_of(as_user(cast.therapist_a).get(url))
    assert resources(therapists, "Coverage") and not resources(therapists, "ChargeItem")
    assert not resources(therapists, "Claim")
    managers = bundle_of(as_user(cast.manager).get(url))
    assert len(resources(managers, "ChargeItem")) == 2 and resources(managers, "Claim")
