"""The patient ledger's arithmetic (issue 16): applying a payment to charges, balances, whose
a balance is (the insurer's to answer or the patient's) and ageing.

Pure: money is Decimal in cents (two places), days are the clinic's local days, no clock.
The rule ids (LEDGER-*) are those of docs/billing.md.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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
    # LEDGER-RESP: the charge's balance still waits for its insurer's answer.
    awaiting_insurer: bool = False


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
    service date, then charge id), each up to its balance; what the patient owes comes before
    what still waits for an insurer (LEDGER-RESP), so a patient who pays their bill owes nothing
    after it. What is left over stays on the payment unapplied, a credit on the account."""
    _money(amount, "A payment")
    if amount <= ZERO:
        raise LedgerError("A payment must be more than $0.00")
    left = amount
    applied: list[Applied] = []
    order = sorted(open_charges, key=lambda c: (c.awaiting_insurer, c.service_date, c.charge_id))
    for charge in order:
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


@dataclass(frozen=True)
class Share:
    """A charge's balance cut in two (LEDGER-RESP): the two always add up to the balance."""

    awaiting_insurer: Decimal
    patient: Decimal


def awaits_insurer(*, billed_to_insurer: bool, insurer_paid: bool, insurer_closed: bool) -> bool:
    """LEDGER-RESP: a charge billed to a coverage waits for that insurer until the insurer has
    answered: the billing office posted the insurer's payment on it, or closed the insurer's
    part from its answer (a contractual write-off or a denial, of $0.00 when nothing is taken
    off). A self-pay charge never waits for anyone."""
    return billed_to_insurer and not (insurer_paid or insurer_closed)


def share_of(balance: Decimal, *, awaiting_insurer: bool) -> Share:
    """LEDGER-RESP: while the insurer has not answered, what is still owed is theirs to answer
    for and the patient is not asked for it; after, what remains is the patient's. A credit on
    a charge (an overpayment) is always the patient's: it is their money to use or get back."""
    waiting = max(balance, ZERO) if awaiting_insurer else ZERO
    return Share(awaiting_insurer=waiting, patient=balance - waiting)


def age_in_days(service_date: date, today: date) -> int:
    return max(0, (today - service_date).days)


def bucket_of(days: int) -> str:
    for label, first, last in AGEING_BUCKETS:
        if days >= first and (last is None or days <= last):
            return label
    raise AssertionError("the buckets cover every day from 0")  # pragma: no cover


def bucket_starts(today: date) -> tuple[tuple[str, date | None], ...]:
    """LEDGER-AGE as service dates, for a query to sort visits into buckets: each bucket with
    the earliest service date in it (None: no earliest), newest bucket first. A visit is in the
    first bucket whose earliest day it is on or after, as `bucket_of` its age in days (a visit
    dated after today is 0 days old: the first bucket)."""
    return tuple(
        (label, None if last is None else today - timedelta(days=last))
        for label, _, last in AGEING_BUCKETS
    )


def ageing(open_charges: Iterable[Open], today: date) -> dict[str, Decimal]:
    """LEDGER-AGE: what is owed, summed per bucket (every bucket present, zero if empty)."""
    sums = {label: ZERO for label, _, _ in AGEING_BUCKETS}
    for charge in open_charges:
        if charge.balance > ZERO:
            sums[bucket_of(age_in_days(charge.service_date, today))] += charge.balance
    return sums
