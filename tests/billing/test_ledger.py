"""Payments and adjustments on the patient ledger: applied oldest first or as split, all or
nothing, by the roles that take money, at their own clinics; balances and ageing add up."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.billing.support import TODAY, charges, covered, payer
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


# --- LEDGER-RESP: what awaits an insurer, what the patient owes -------------------------------


def medicare(cast: Cast) -> tuple[Payer, Coverage]:
    medicare_b = payer(cast)
    return medicare_b, covered(cast.patient_p, medicare_b)


def account(cast: Cast) -> ledger.Account:
    return ledger.account_of(cast.front_desk_a, cast.patient_p)


def insurer_pays(cast: Cast, insurer: Payer, charge: Charge, amount: str) -> Payment:
    return pay(cast, amount, by=cast.biller_a, method=PaymentMethod.INSURER, payer=insurer,
               split=[(charge.pk, Decimal(amount))])  # fmt: skip


def adjust(cast: Cast, charge: Charge, amount: str, reason: AdjustmentReason) -> None:
    ledger.adjustment_make(by=cast.biller_a, charge=charge, amount=Decimal(amount), reason=reason)


def test_what_is_billed_to_an_insurer_awaits_it_until_it_pays_then_the_rest_is_the_patients(
    cast: Cast,
) -> None:
    insurer, coverage = medicare(cast)
    first, second = charges(cast, ("170.00", 20), ("150.00", 10), coverage=coverage)
    pay(cast, "25.00", method=PaymentMethod.CASH)  # at the desk, before Medicare answers
    before = account(cast)
    assert before.awaiting == {"Medicare Part B": Decimal("295.00")}  # 145 + 150
    assert before.owed == Decimal("0.00") and before.on_visits == Decimal("295.00")
    insurer_pays(cast, insurer, first, "100.00")
    after = account(cast)
    assert after.awaiting == {"Medicare Part B": Decimal("150.00")}  # the second visit
    assert after.owed == Decimal("45.00")  # 170 - 25 - 100, the patient's after Medicare paid
    assert after.on_visits == after.awaiting_insurance + after.owed
    adjust(cast, second, "100.00", AdjustmentReason.DENIED)  # a denial closes Medicare's part
    denied = account(cast)
    assert denied.awaiting == {} and denied.owed == Decimal("95.00")  # 45 + what the denial left


def test_a_contractual_write_off_alone_leaves_the_charge_awaiting_its_insurer(cast: Cast) -> None:
    _, coverage = medicare(cast)
    (charge,) = charges(cast, ("170.00", 20), coverage=coverage)
    adjust(cast, charge, "40.00", AdjustmentReason.CONTRACTUAL)
    assert account(cast).awaiting == {"Medicare Part B": Decimal("130.00")}
    assert account(cast).owed == Decimal("0.00")


def test_bill_the_patient_takes_nothing_off_and_makes_the_rest_the_patients(cast: Cast) -> None:
    _, coverage = medicare(cast)
    (charge,) = charges(cast, ("170.00", 20), coverage=coverage)
    with pytest.raises(Refused, match="takes off nothing"):
        adjust(cast, charge, "10.00", AdjustmentReason.TO_PATIENT)
    with pytest.raises(Refused, match=r"more than \$0\.00"):
        adjust(cast, charge, "0.00", AdjustmentReason.CONTRACTUAL)
    adjust(cast, charge, "0.00", AdjustmentReason.TO_PATIENT)  # all went to the deductible
    assert account(cast).awaiting == {} and account(cast).owed == Decimal("170.00")


def test_the_patients_money_pays_their_own_visit_before_what_awaits_medicare(cast: Cast) -> None:
    _, coverage = medicare(cast)
    charges(cast, ("170.00", 20), coverage=coverage)
    charges(cast, ("30.00", 5))
    pay(cast, "50.00", method=PaymentMethod.CASH)  # the newer self-pay visit first, 20 on
    total = account(cast)
    assert [c.balance for c in total.charges] == [Decimal("150.00"), Decimal("0.00")]
    assert total.awaiting == {"Medicare Part B": Decimal("150.00")}
    assert total.owed == Decimal("0.00") and total.unapplied == Decimal("0.00")


def test_a_credit_reduces_only_what_the_patient_owes(cast: Cast) -> None:
    _, coverage = medicare(cast)
    charges(cast, ("170.00", 20), coverage=coverage)
    charges(cast, ("30.00", 5))
    pay(cast, "50.00", method=PaymentMethod.CASH, split=[])  # kept on the account
    total = account(cast)
    assert total.awaiting == {"Medicare Part B": Decimal("170.00")}
    assert total.unapplied == Decimal("50.00") and total.owed == Decimal("-20.00")
    assert total.credit == Decimal("20.00")


def test_ageing_puts_a_balance_under_its_insurer_until_it_answers(cast: Cast) -> None:
    insurer, coverage = medicare(cast)
    (first,) = charges(cast, ("170.00", 45), coverage=coverage)
    charges(cast, ("30.00", 5))
    zero = Decimal("0.00")
    report = ledger.ageing_by_payer(cast.manager, TODAY)
    assert report["Medicare Part B"]["31-60 days"] == Decimal("170.00")
    assert report["Patient"] == {"0-30 days": Decimal("30.00"), "31-60 days": zero,
                                 "61-90 days": zero, "Over 90 days": zero}  # fmt: skip
    insurer_pays(cast, insurer, first, "136.00")
    report = ledger.ageing_by_payer(cast.manager, TODAY)
    assert "Medicare Part B" not in report
    assert report["Patient"]["31-60 days"] == Decimal("34.00")


def test_the_account_is_read_in_the_same_queries_however_many_visits(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    insurer, coverage = medicare(cast)
    (first,) = charges(cast, ("170.00", 45), coverage=coverage)
    insurer_pays(cast, insurer, first, "100.00")
    account(cast)  # warm the per-request caches (the user's clinics)
    with CaptureQueriesContext(connection) as one:
        account(cast)
    charges(cast, ("50.00", 30), ("60.00", 20), coverage=coverage)
    charges(cast, ("30.00", 5))
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(account(cast).charges) == 4
