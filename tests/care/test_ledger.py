"""The ledger's arithmetic: a payment pays the oldest visits first (what the patient owes before
what awaits an insurer), a split by hand is checked, a balance is the insurer's to answer or the
patient's, balances and the ageing buckets add up."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot.care.ledger import (
    AGEING_BUCKETS,
    Applied,
    LedgerError,
    Open,
    Share,
    ageing,
    apply_payment,
    awaits_insurer,
    balance,
    bucket_of,
    check_allocations,
    share_of,
)

TODAY = dt.date(2026, 12, 7)


def owed(charge_id: int, days_ago: int, amount: str, awaiting: bool = False) -> Open:
    return Open(charge_id, TODAY - dt.timedelta(days=days_ago), Decimal(amount), awaiting)


def test_a_payment_pays_the_oldest_visit_first_and_keeps_the_rest_as_credit() -> None:
    charges = [owed(2, 10, "80.00"), owed(1, 40, "50.00"), owed(3, 5, "0.00")]
    assert apply_payment(Decimal("100.00"), charges) == (
        Applied(1, Decimal("50.00")),
        Applied(2, Decimal("50.00")),
    )
    assert apply_payment(Decimal("200.00"), charges) == (
        Applied(1, Decimal("50.00")),
        Applied(2, Decimal("80.00")),
    )  # $70 left over: a credit


def test_the_same_day_goes_by_charge_order() -> None:
    charges = [owed(9, 3, "30.00"), owed(4, 3, "30.00")]
    assert apply_payment(Decimal("30.00"), charges) == (Applied(4, Decimal("30.00")),)


def test_the_patients_money_pays_what_they_owe_before_what_awaits_an_insurer() -> None:
    charges = [owed(1, 40, "170.00", awaiting=True), owed(2, 10, "25.00"), owed(3, 5, "30.00")]
    assert apply_payment(Decimal("40.00"), charges) == (
        Applied(2, Decimal("25.00")),
        Applied(3, Decimal("15.00")),
    )
    assert apply_payment(Decimal("60.00"), charges)[-1] == Applied(1, Decimal("5.00"))


# LEDGER-RESP: (billed to an insurer, insurer paid on it, insurer's part closed) -> awaits it
@pytest.mark.parametrize(
    ("billed", "paid", "closed", "awaits"),
    [(False, False, False, False), (False, True, False, False), (True, False, False, True),
     (True, True, False, False), (True, False, True, False), (True, True, True, False)],
)  # fmt: skip
def test_a_charge_awaits_its_insurer_until_the_insurer_answers(
    billed: bool, paid: bool, closed: bool, awaits: bool
) -> None:
    assert awaits_insurer(billed_to_insurer=billed, insurer_paid=paid, insurer_closed=closed) is (
        awaits
    )


def test_what_awaits_an_insurer_is_not_the_patients_and_a_credit_always_is() -> None:
    assert share_of(Decimal("145.00"), awaiting_insurer=True) == Share(
        Decimal("145.00"), Decimal("0.00")
    )
    assert share_of(Decimal("25.00"), awaiting_insurer=False) == Share(
        Decimal("0.00"), Decimal("25.00")
    )
    assert share_of(Decimal("-10.00"), awaiting_insurer=True) == Share(
        Decimal("0.00"), Decimal("-10.00")
    )


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "10.005"])
def test_a_payment_must_be_positive_whole_cents(amount: str) -> None:
    with pytest.raises(LedgerError):
        apply_payment(Decimal(amount), [owed(1, 1, "10.00")])


def test_a_split_by_hand_is_checked_against_the_payment_and_each_balance() -> None:
    charges = [owed(1, 1, "40.00"), owed(2, 2, "60.00")]
    check_allocations(
        Decimal("100.00"), [Applied(1, Decimal("40.00")), Applied(2, Decimal("60.00"))], charges
    )
    with pytest.raises(LedgerError, match=r"more than the \$40\.00 still owed"):
        check_allocations(Decimal("100.00"), [Applied(1, Decimal("41.00"))], charges)
    with pytest.raises(LedgerError, match="add up to more than the payment"):
        check_allocations(
            Decimal("50.00"), [Applied(1, Decimal("40.00")), Applied(2, Decimal("20.00"))], charges
        )
    with pytest.raises(LedgerError, match="charge with a balance"):
        check_allocations(Decimal("50.00"), [Applied(7, Decimal("10.00"))], charges)


def test_balance_counts_payments_and_adjustments_and_shows_a_credit() -> None:
    assert balance(Decimal("120.00"), Decimal("100.00"), Decimal("20.00")) == Decimal("0.00")
    assert balance(Decimal("120.00"), Decimal("130.00"), Decimal("0.00")) == Decimal("-10.00")
    assert balance(Decimal("120.00"), Decimal("0.00"), Decimal("-5.00")) == Decimal("125.00")


@pytest.mark.parametrize(
    ("days", "label"),
    [(0, "0-30 days"), (30, "0-30 days"), (31, "31-60 days"), (60, "31-60 days"),
     (61, "61-90 days"), (90, "61-90 days"), (91, "Over 90 days"), (4000, "Over 90 days")],
)  # fmt: skip
def test_the_bucket_edges(days: int, label: str) -> None:
    assert bucket_of(days) == label


def test_ageing_sums_only_what_is_owed_and_names_every_bucket() -> None:
    charges = [
        owed(1, 5, "10.00"),
        owed(2, 45, "20.00"),
        owed(3, 100, "30.00"),
        owed(4, 7, "-5.00"),
    ]
    assert ageing(charges, TODAY) == {
        "0-30 days": Decimal("10.00"),
        "31-60 days": Decimal("20.00"),
        "61-90 days": Decimal("0.00"),
        "Over 90 days": Decimal("30.00"),
    }


cents = st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c) / 100)


@given(
    st.integers(min_value=1, max_value=200_000).map(lambda c: Decimal(c) / 100),
    st.lists(st.tuples(st.integers(0, 400), cents), max_size=12),
)
def test_a_payment_never_applies_more_than_it_is_or_than_is_owed(
    amount: Decimal, rows: list[tuple[int, Decimal]]
) -> None:
    charges = [owed(i, days, str(money)) for i, (days, money) in enumerate(rows)]
    applied = apply_payment(amount, charges)
    check_allocations(amount, applied, charges)  # the automatic split passes the manual check
    owed_total = sum((c.balance for c in charges if c.balance > 0), Decimal("0.00"))
    assert sum((a.amount for a in applied), Decimal("0.00")) == min(amount, owed_total)


@given(st.lists(st.tuples(st.integers(0, 400), cents), max_size=12))
def test_ageing_adds_up_to_what_is_owed(rows: list[tuple[int, Decimal]]) -> None:
    charges = [owed(i, days, str(money)) for i, (days, money) in enumerate(rows)]
    buckets = ageing(charges, TODAY)
    assert list(buckets) == [label for label, _, _ in AGEING_BUCKETS]
    assert sum(buckets.values(), Decimal("0.00")) == sum(
        (c.balance for c in charges), Decimal("0.00")
    )


signed_cents = st.integers(min_value=-100_000, max_value=100_000).map(lambda c: Decimal(c) / 100)


@given(signed_cents, st.booleans())
def test_the_two_shares_add_up_to_the_balance_and_neither_asks_for_a_credit(
    owed_amount: Decimal, awaiting: bool
) -> None:
    share = share_of(owed_amount, awaiting_insurer=awaiting)
    assert share.awaiting_insurer + share.patient == owed_amount
    assert share.awaiting_insurer >= 0
    if awaiting and owed_amount > 0:
        assert share.patient == 0  # the patient is never asked for what awaits an insurer
    if not awaiting:
        assert share.awaiting_insurer == 0


@given(
    st.integers(min_value=1, max_value=200_000).map(lambda c: Decimal(c) / 100),
    st.lists(st.tuples(st.integers(0, 400), cents, st.booleans()), max_size=12),
)
def test_a_payment_reaches_an_awaiting_charge_only_once_the_patients_are_paid(
    amount: Decimal, rows: list[tuple[int, Decimal, bool]]
) -> None:
    charges = [owed(i, days, str(money), waits) for i, (days, money, waits) in enumerate(rows)]
    applied = {a.charge_id: a.amount for a in apply_payment(amount, charges)}
    patients = [c for c in charges if not c.awaiting_insurer and c.balance > 0]
    if any(charge.awaiting_insurer for charge in charges if charge.charge_id in applied):
        assert all(applied.get(c.charge_id) == c.balance for c in patients)
