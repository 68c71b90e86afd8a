"""Payments and adjustments on the patient ledger: applied oldest first or as split, all or
nothing, by the roles that take money, at their own clinics; balances and ageing add up."""

from decimal import Decimal
from typing import Any

import pytest

from tests import factories
from tests.billing.support import TODAY, charges
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.billing import ledger
from unknot.billing.models import (
    AdjustmentReason,
    Allocation,
    Charge,
    ChargeStatus,
    Payment,
    PaymentMethod,
)
from unknot.common.errors import Refused
from unknot.coverage.models import Coverage, Payer, PlanType

pytestmark = pytest.mark.django_db


def pay(cast: Cast, amount: str, by: Any = None, **fields: Any) -> Payment:
    data = ledger.PaymentInput(
        clinic=fields.pop("clinic", cast.clinic_a), method=fields.pop("method", PaymentMethod.CARD),
        amount=Decimal(amount), received_on=TODAY, patient=fields.pop("patient", cast.patient_p),
        **fields,
    )  # fmt: skip
    return ledger.payment_record(by=by or cast.front_desk_a, data=data)


def balances(cast: Cast) -> list[Decimal]:
    return [c.balance for c in ledger.account_of(cast.front_desk_a, cast.patient_p).charges]


def test_a_desk_payment_pays_the_oldest_visit_first(cast: Cast) -> None:
    charges(cast, ("90.00", 20), ("120.00", 40))
    pay(cast, "150.00")
    assert balances(cast) == [Decimal("0.00"), Decimal("60.00")]  # oldest first in the account
    account = ledger.account_of(cast.front_desk_a, cast.patient_p)
    assert account.owed == Decimal("60.00") and account.unapplied == Decimal("0.00")


def test_money_beyond_what_is_owed_is_a_credit(cast: Cast) -> None:
    charges(cast, ("50.00", 3))
    pay(cast, "80.00")
    account = ledger.account_of(cast.front_desk_a, cast.patient_p)
    assert account.unapplied == Decimal("30.00")
    assert account.owed == Decimal("-30.00")


def test_a_split_that_does_not_add_up_writes_nothing(cast: Cast) -> None:
    first, _second = charges(cast, ("50.00", 3), ("50.00", 2))
    with pytest.raises(Refused, match=r"more than the \$50\.00 still owed"):
        pay(cast, "100.00", split=[(first.pk, Decimal("60.00"))])
    assert not Payment.objects.exists() and not Allocation.objects.exists()


def test_an_insurers_payment_is_posted_by_the_billing_office_against_its_charges(
    cast: Cast,
) -> None:
    payer = Payer.objects.create(
        practice=cast.clinic_a.practice, name="Medicare", payer_id="12345",
        plan_type=PlanType.MEDICARE_B,
    )  # fmt: skip
    covered = Coverage.objects.create(
        patient=cast.patient_p, payer=payer, member_id="1EG4TE5MK73", effective_from=TODAY
    )
    charges(cast, ("100.00", 10), coverage=covered)
    with pytest.raises(Refused, match="billing office"):
        pay(cast, "80.00", method=PaymentMethod.INSURER, payer=payer)
    with pytest.raises(Refused, match="names its insurer"):
        pay(cast, "80.00", by=cast.manager, method=PaymentMethod.INSURER)
    pay(cast, "80.00", by=cast.manager, method=PaymentMethod.INSURER, payer=payer)
    assert balances(cast) == [Decimal("20.00")]


def test_a_write_off_cannot_exceed_the_balance_and_needs_the_billing_office(cast: Cast) -> None:
    (charge,) = charges(cast, ("100.00", 10))
    with pytest.raises(Refused, match="billing office"):
        ledger.adjustment_make(by=cast.front_desk_a, charge=charge, amount=Decimal("10.00"),
                               reason=AdjustmentReason.CONTRACTUAL)  # fmt: skip
    with pytest.raises(Refused, match=r"more than the \$100\.00"):
        ledger.adjustment_make(by=cast.manager, charge=charge, amount=Decimal("100.01"),
                               reason=AdjustmentReason.CONTRACTUAL)  # fmt: skip
    ledger.adjustment_make(by=cast.manager, charge=charge, amount=Decimal("35.50"),
                           reason=AdjustmentReason.CONTRACTUAL)  # fmt: skip
    assert balances(cast) == [Decimal("64.50")]


def test_outsiders_and_the_wrong_roles_take_no_money(cast: Cast) -> None:
    charges(cast, ("100.00", 10))
    for who in (cast.therapist_a, cast.auditor, cast.therapist_b):
        with pytest.raises(Refused):
            pay(cast, "10.00", by=who)
    other = factories.staff("desk_b", "front_desk", [cast.clinic_b])
    with pytest.raises(Refused, match="your own clinics"):
        pay(cast, "10.00", by=other)
    assert ledger.account_of(other, cast.patient_p).charges == []
    assert ledger.account_of(cast.patient_q.user, cast.patient_p).charges == []
    assert len(ledger.account_of(cast.patient_p.user, cast.patient_p).charges) == 1
    assert not Payment.objects.exists()


def test_charges_not_yet_approved_are_not_owed(cast: Cast) -> None:
    (charge,) = charges(cast, ("100.00", 10))
    Charge.objects.filter(pk=charge.pk).update(status=ChargeStatus.TO_REVIEW)
    assert balances(cast) == []


def test_ageing_by_payer_puts_each_balance_in_its_bucket(cast: Cast) -> None:
    charges(cast, ("100.00", 10), ("40.00", 45), ("25.00", 120))
    pay(cast, "30.00")  # pays the oldest: 25 in full, 5 off the 40
    report = ledger.ageing_by_payer(cast.manager, TODAY)
    owed = {"0-30 days": "100.00", "31-60 days": "35.00", "61-90 days": "0", "Over 90 days": "0"}
    assert report == {"Patient": {bucket: Decimal(amount) for bucket, amount in owed.items()}}
    assert ledger.ageing_by_payer(cast.therapist_a, TODAY) == {}


def test_every_payment_and_read_of_an_account_is_audited(cast: Cast) -> None:
    charges(cast, ("100.00", 10))
    payment = pay(cast, "10.00")
    ledger.account_of(cast.front_desk_a, cast.patient_p)
    assert AuditEvent.objects.filter(object_type="payment", object_id=str(payment.pk)).exists()
    assert AuditEvent.objects.filter(
        object_type="patient_account", patient_id=cast.patient_p.pk
    ).exists()
