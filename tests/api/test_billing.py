"""Coverages, charges and payments through the REST API, with bearer tokens: the pages' roles
(all staff read coverage, the billing office charges, those who take payments payments), the
patient their own, outsiders 404; a payment recorded through the ledger with the payment
page's rules and messages, and nothing written when it is refused. And the biller: patients
and appointments, as through FHIR, and no clinical record."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.api.world import World
from tests.billing import support as billing
from unknot.audit.models import AuditEvent
from unknot.billing import ledger
from unknot.billing.models import Allocation, Charge, Payment, PaymentMethod
from unknot.care.codes import CPT_LABELS
from unknot.coverage.models import Coverage
from unknot.records.models import Visit

PERSONAS = ("anonymous", "therapist_a", "front_desk_a", "therapist_b", "manager", "auditor",
            "biller_a", "patient_p", "patient_q")  # fmt: skip


@dataclass
class Money:
    coverage: Coverage
    charge: Charge
    payment: Payment


@pytest.fixture
def money(world: World) -> Money:
    """P on Medicare, P's visit approved for $120.00, and $20.00 P paid at the desk."""
    cast = world.cast
    coverage = billing.covered(cast.patient_p, billing.payer(cast))
    visit = Visit.objects.get(pk=world.p.visit)
    (charge,) = billing.charges_on(cast, [visit], coverage)
    payment = ledger.payment_record(by=cast.front_desk_a, data=ledger.PaymentInput(
        clinic=cast.clinic_a, method=PaymentMethod.CASH, amount=Decimal("20.00"),
        received_on=charge.service_date, patient=cast.patient_p,
    ))  # fmt: skip
    return Money(coverage, charge, payment)


def expect(**overrides: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, 200) | {"anonymous": 401} | overrides


COVERAGE = expect()
CHARGES = expect(therapist_a=403, front_desk_a=403, therapist_b=403, auditor=403)
PAYMENTS = expect(therapist_a=403, therapist_b=403, auditor=403)
OUTSIDERS = {"therapist_b": 404, "patient_q": 404}


def get(world: World, persona: str, path: str, **query: Any) -> Any:
    return world.client(persona).get("/api/v1/" + path, query)


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_details_by_role(world: World, money: Money, persona: str) -> None:
    cases = {
        f"coverages/{money.coverage.pk}/": COVERAGE | OUTSIDERS,
        "coverages/": COVERAGE,
        f"charges/{money.charge.pk}/": CHARGES | {"patient_q": 404},
        "charges/": CHARGES,
        f"payments/{money.payment.pk}/": PAYMENTS | {"patient_q": 404},
        "payments/": PAYMENTS,
    }
    for path, statuses in cases.items():
        response = get(world, persona, path)
        assert response.status_code == statuses[persona], (path, response.content)
        if response.status_code != 200:
            continue
        body = response.json()
        rows = body.get("results", [body])
        mine = persona not in ("therapist_b", "patient_q")
        assert {row["patient"] for row in rows} == ({world.p.patient} if mine else set())


def test_a_charge_says_what_is_billed(world: World, money: Money) -> None:
    body = get(world, "biller_a", f"charges/{money.charge.pk}/").json()
    assert body["status"] == "approved" and body["status_label"] == "Approved"
    assert body["coverage"] == money.coverage.pk and body["diagnosis_codes"] == ["M54.50"]
    assert body["lines"] == [{"code": "97110", "code_label": CPT_LABELS["97110"], "units": 2,
                              "modifiers": ["GP"], "diagnosis_pointers": [1], "fee": "60.00",
                              "amount": "120.00"}]  # fmt: skip
    day = money.charge.service_date.isoformat()
    approved = get(world, "biller_a", "charges/", status="approved", **{"from": day}).json()
    assert len(approved["results"]) == 1
    assert get(world, "biller_a", "charges/", status="void").json()["results"] == []
    refused = get(world, "biller_a", "charges/", status="paid", to="31/12/2031")
    assert refused.status_code == 400 and set(refused.json()["error"]["fields"]) == {"status", "to"}


def test_reads_are_recorded(world: World, money: Money) -> None:
    before = AuditEvent.objects.count()
    get(world, "biller_a", f"charges/{money.charge.pk}/")
    get(world, "front_desk_a", "payments/")
    get(world, "therapist_b", f"coverages/{money.coverage.pk}/")
    seen = [
        (e.object_type, e.object_id, e.outcome) for e in AuditEvent.objects.order_by("pk")[before:]
    ]
    assert ("charge", str(money.charge.pk), "allowed") in seen
    assert ("payment", "", "allowed") in seen
    assert ("coverage", str(money.coverage.pk), "denied") in seen


def pay(world: World, persona: str, **body: Any) -> Any:
    values = {"patient": world.p.patient, "method": "card", "amount": "100.00",
              "received_on": "2031-03-05"} | body  # fmt: skip
    return world.client(persona).post("/api/v1/payments/", values, content_type="application/json")


def test_the_desk_records_a_payment_applied_to_the_oldest_visit(world: World, money: Money) -> None:
    response = pay(world, "front_desk_a", reference="4471")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["method_label"], body["clinic"]) == (
        "100.00", "Card", world.cast.clinic_a.slug)  # fmt: skip
    assert body["allocations"] == [{"charge": money.charge.pk, "amount": "100.00"}]
    assert AuditEvent.objects.filter(object_type="payment", object_id=str(body["id"]),
                                     action="create").exists()  # fmt: skip


def test_the_billing_office_posts_an_insurers_payment(world: World, money: Money) -> None:
    payer = money.coverage.payer.pk
    response = pay(world, "biller_a", method="insurer", payer=payer, amount="80.00")
    assert response.status_code == 201, response.content
    assert response.json()["payer"] == "Medicare Part B"


@pytest.mark.parametrize(
    ("persona", "body", "field", "words"),
    [
        ("front_desk_a", {"amount": "abc"}, "amount", "dollars and cents, like 45.00"),
        ("front_desk_a", {"amount": "0"}, "amount", "greater than or equal to 0.01"),
        ("front_desk_a", {"method": "insurer"}, "method", "Select a valid choice"),
        ("front_desk_a", {"received_on": "03/05/2031x"}, "received_on", "date"),
        ("front_desk_a", {"patient": 10**9}, "patient", "No such patient."),
        ("therapist_b", {}, None, ""),  # another clinic's patient: refused by role first
        ("biller_a", {"method": "insurer"}, "non_field_errors", "names its insurer"),
        ("biller_a", {"clinic": "no-such-clinic"}, "clinic", "No such clinic."),
        ("front_desk_a", {"amount": "9999.99", "clinic": "clinic-b"}, "non_field_errors",
         "your own clinics"),
    ],
)  # fmt: skip
def test_a_refused_payment_says_why_and_writes_nothing(
    world: World, money: Money, persona: str, body: dict[str, Any], field: str | None, words: str
) -> None:
    before = (Payment.objects.count(), Allocation.objects.count())
    response = pay(world, persona, **body)
    assert (Payment.objects.count(), Allocation.objects.count()) == before
    if field is None:
        assert response.status_code == 403
        return
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    said = error["fields"].get(field) or error["message"]
    assert words in said, error


def test_a_payment_of_another_clinics_patient_is_no_such_patient(world: World) -> None:
    response = pay(world, "front_desk_a", patient=world.q.patient)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"patient": "No such patient."}


@pytest.mark.parametrize("persona", ["patient_p", "auditor", "therapist_a"])
def test_who_may_not_record_payments(world: World, persona: str) -> None:
    assert pay(world, persona).status_code == 403
    assert Payment.objects.count() == 0


def test_a_body_that_is_not_an_object_is_a_400(world: World) -> None:
    client = world.client("front_desk_a")
    for raw in ("[1]", '"x"', "{"):
        response = client.post("/api/v1/payments/", raw, content_type="application/json")
        assert response.status_code == 400
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    ["patients/", "patients/{p.patient}/", "appointments/", "appointments/{p.appointment}/"],
)
def test_the_biller_reads_patients_and_appointments_as_through_fhir(
    world: World, path: str
) -> None:
    assert get(world, "biller_a", path.format(p=world.p)).status_code == 200
    assert get(world, "biller_a", path.format(p=world.q)).status_code in (200, 404)


@pytest.mark.parametrize(
    "path",
    ["intakes/", "intakes/{p.intake}/", "plans/", "plans/{p.plan}/", "visits/",
     "visits/{p.visit}/", "outcomes/", "outcomes/{p.outcome}/", "home-logs/",
     "home-logs/{p.log}/"],
)  # fmt: skip
def test_the_biller_reads_no_clinical_record(world: World, path: str) -> None:
    assert get(world, "biller_a", path.format(p=world.p)).status_code == 403


def test_the_biller_may_not_book(world: World) -> None:
    response = world.client("biller_a").post(
        "/api/v1/appointments/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    search = world.client("biller_a").post(
        "/api/v1/patients/search/", {"name": "Parker"}, content_type="application/json"
    )
    assert search.status_code == 200 and len(search.json()["results"]) == 1


def test_the_billing_rows_are_written_as_their_declared_fields_would_write_them(
    world: World, money: Money
) -> None:
    """The lists' own `to_representation` (no walk over DRF's fields) agrees with DRF's."""
    from rest_framework import serializers

    from unknot.api.serializers import (
        AllocationOut,
        ChargeLineOut,
        ChargeOut,
        CoverageOut,
        PaymentOut,
    )

    ledger.adjustment_make(by=world.cast.biller_a, charge=money.charge, amount=Decimal("0.50"),
                           reason="contractual")  # fmt: skip
    charge = Charge.objects.select_related("clinic").get(pk=money.charge.pk)
    payment = Payment.objects.select_related("payer", "clinic").get(pk=money.payment.pk)
    rows: list[tuple[Any, Any]] = [(ChargeOut, charge), (PaymentOut, payment),
                                   (CoverageOut, money.coverage)]  # fmt: skip
    rows += [(ChargeLineOut, line) for line in charge.lines.all()]
    rows += [(AllocationOut, allocation) for allocation in payment.allocations.all()]
    assert len(rows) > 3
    for out, row in rows:
        assert out().to_representation(row) == serializers.Serializer.to_representation(out(), row)
