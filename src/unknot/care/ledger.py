"""The patient ledger's arithmetic (issue 16): applying a payment to charges, balances and
ageing.

Pure: money is Decimal in cents (two places), days are the clinic's local days, no clock.
The rule ids (LEDGER-*) are those of docs/billing.md.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# LEDGER-AGE: the ageing buckets billers use, by days since the service date:
# 0-30, 31-60, 61-90 and over 90. Each is (label, first day, last day or None for "and over").
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30 days", 0, 30),
    ("31-60 days", 31, 60),
    ("61-90 days", 61, 90),
    ("Over 90 days", 91, None),
)


class LedgerError(ValueError):
    """A payment or allocation that would not add up; the message is for people."""


@dataclass(frozen=True)
class Open:
    """A charge with money still owed on it."""

    charge_id: int
    service_date: date
    balance: Decimal


@dataclass(frozen=True)
class Applied:
    charge_id: int
    amount: Decimal


def _money(value: Decimal, what: str) -> Decimal:
    if value != value.quantize(CENT):
        raise LedgerError(f"{what} must be in whole cents")
    return value


def balance(total: Decimal, paid: Decimal, adjusted: Decimal) -> Decimal:
    """LEDGER-BAL: what is still owed on a charge: its total less payments and adjustments
    (an adjustment may be negative: money put back on). An overpayment shows as a negative
    balance, a credit the practice owes back, rather than being hidden at zero."""
    return total - paid - adjusted


def apply_payment(amount: Decimal, open_charges: Sequence[Open]) -> tuple[Applied, ...]:
    """LEDGER-APPLY: a payment not aimed at particular charges pays the oldest first (by
    service date, then charge id), each up to its balance. What is left over stays on the
    payment unapplied, a credit on the patient's account."""
    _money(amount, "A payment")
    if amount <= ZERO:
        raise LedgerError("A payment must be more than $0.00")
    left = amount
    applied: list[Applied] = []
    for charge in sorted(open_charges, key=lambda c: (c.service_date, c.charge_id)):
        if left <= ZERO:
            break
        if charge.balance <= ZERO:
            continue
        part = min(left, charge.balance)
        applied.append(Applied(charge.charge_id, part))
        left -= part
    return tuple(applied)


def check_allocations(
    amount: Decimal, allocations: Iterable[Applied], open_charges: Sequence[Open]
) -> None:
    """LEDGER-SPLIT: a payment split by hand may not apply more than it is, nor more to a charge
    than the charge still owes."""
    owed = {charge.charge_id: charge.balance for charge in open_charges}
    total = ZERO
    for allocation in allocations:
        _money(allocation.amount, "An amount applied")
        if allocation.amount <= ZERO:
            raise LedgerError("Each amount applied must be more than $0.00")
        if allocation.charge_id not in owed:
            raise LedgerError("A payment can only be applied to a charge with a balance")
        if allocation.amount > owed[allocation.charge_id]:
            raise LedgerError(
                f"${allocation.amount:,.2f} is more than the ${owed[allocation.charge_id]:,.2f} "
                "still owed on that visit"
            )
        total += allocation.amount
    if total > amount:
        raise LedgerError(f"The amounts applied (${total:,.2f}) add up to more than the payment")


def age_in_days(service_date: date, today: date) -> int:
    return max(0, (today - service_date).days)


def bucket_of(days: int) -> str:
    for label, first, last in AGEING_BUCKETS:
        if days >= first and (last is None or days <= last):
            return label
    raise AssertionError("the buckets cover every day from 0")  # pragma: no cover


def ageing(open_charges: Iterable[Open], today: date) -> dict[str, Decimal]:
    """LEDGER-AGE: what is owed, summed per bucket (every bucket present, zero if empty)."""
    sums = {label: ZERO for label, _, _ in AGEING_BUCKETS}
    for charge in open_charges:
        if charge.balance > ZERO:
            sums[bucket_of(age_in_days(charge.service_date, today))] += charge.balance
    return sums
