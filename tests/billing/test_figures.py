"""The charges' running figures (what was paid and adjusted on each) and the ageing grouped in
the database: after any payments and adjustments, the figures are the sums counted from the
rows, and the ageing per payer is what the pure rules make of each charge counted from scratch
(LEDGER-BAL, LEDGER-RESP, LEDGER-AGE)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.billing.support import TODAY, charges, covered, payer
from unknot.billing import ledger
from unknot.billing.models import (
    Adjustment,
    AdjustmentReason,
    Allocation,
    Charge,
    PaymentMethod,
)
from unknot.care import ledger as pure
from unknot.common.errors import Refused

pytestmark = pytest.mark.django_db

ZERO = Decimal("0.00")


@given(day=st.dates(dt.date(2030, 1, 1), dt.date(2032, 12, 31)))
def test_the_buckets_days_are_the_buckets_of_the_visits_age(day: dt.date) -> None:
    """`bucket_starts` (the query's form of LEDGER-AGE) puts a visit where `bucket_of` does."""
    today = dt.date(2031, 6, 15)
    expected = pure.bucket_of(pure.age_in_days(day, today))
    found = next(
        label for label, first in pure.bucket_starts(today) if first is None or day >= first
    )
    assert found == expected


# One step: (who, amount in cents, which charge for an adjustment, its reason).
steps = st.lists(
    st.tuples(
        st.sampled_from(["patient", "insurer", "adjust"]),
        st.integers(min_value=1, max_value=9000),
        st.integers(min_value=0, max_value=3),
        st.sampled_from([AdjustmentReason.CONTRACTUAL, AdjustmentReason.DENIED,
                         AdjustmentReason.TO_PATIENT, AdjustmentReason.CORRECTION]),
    ),
    max_size=6,
)  # fmt: skip


def test_after_any_payments_and_adjustments_the_figures_and_ageing_are_counted_from_scratch(
    cast,
):
    """P's four visits, two billed to Medicare, two self-pay, of different ages; each example
    pays and adjusts some of them, checks, and is rolled back."""
    medicare = payer(cast)
    coverage = covered(cast.patient_p, medicare, since=TODAY - dt.timedelta(days=400))
    made = charges(cast, ("120.00", 5), ("80.00", 70), coverage=coverage)
    made += charges(cast, ("60.00", 40), ("45.50", 200))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(sequence=steps)
    def paid_and_adjusted_in_any_order(sequence):
        with transaction.atomic():
            for who, cents, which, reason in sequence:
                _step(cast, medicare, made[which], who, Decimal(cents) / 100, reason)
            _check(cast, made)
            transaction.set_rollback(True)

    paid_and_adjusted_in_any_order()


def _step(cast, medicare, charge, who, amount, reason) -> None:
    try:
        if who == "adjust":
            if reason == AdjustmentReason.TO_PATIENT:
                amount = ZERO
            ledger.adjustment_make(by=cast.biller_a, charge=charge, amount=amount, reason=reason)
            return
        insurer = medicare if who == "insurer" else None
        ledger.payment_record(by=cast.biller_a, data=ledger.PaymentInput(
            clinic=cast.clinic_a, amount=amount, received_on=TODAY, patient=cast.patient_p,
            method=PaymentMethod.INSURER if insurer else PaymentMethod.CARD, payer=insurer,
        ))  # fmt: skip
    except Refused:
        pass  # more than is owed, or nothing billed to that insurer: nothing written


def _check(cast, made) -> None:
    expected: dict[str, list[Decimal]] = {}
    for charge in Charge.objects.filter(pk__in=[c.pk for c in made]).select_related("coverage"):
        paid = Allocation.objects.filter(charge=charge).aggregate(s=Sum("amount"))["s"] or ZERO
        adjusted = Adjustment.objects.filter(charge=charge).aggregate(s=Sum("amount"))["s"] or ZERO
        assert (charge.paid, charge.adjusted) == (paid, adjusted)
        for whose, part in _owed_from_scratch(charge, charge.total - paid - adjusted):
            buckets = expected.setdefault(whose, [ZERO] * len(ledger.BUCKETS))
            owed = pure.ageing([part], TODAY)
            for n, label in enumerate(ledger.BUCKETS):
                buckets[n] += owed[label]
    report = ledger.ageing_by_payer(cast.manager, TODAY)
    assert report == {
        whose: dict(zip(ledger.BUCKETS, owed, strict=True))
        for whose, owed in sorted(expected.items())
    }


def _owed_from_scratch(charge, balance):
    """LEDGER-RESP on one charge, its facts read from its rows."""
    insurer_paid = Allocation.objects.filter(
        charge=charge, payment__payer_id=charge.coverage.payer_id if charge.coverage else -1
    ).exists()
    closed = Adjustment.objects.filter(charge=charge, reason__in=ledger.CLOSE_INSURERS_PART)
    awaiting = pure.awaits_insurer(
        billed_to_insurer=charge.coverage_id is not None, insurer_paid=insurer_paid,
        insurer_closed=closed.exists(),
    )  # fmt: skip
    share = pure.share_of(balance, awaiting_insurer=awaiting)
    payer = charge.coverage.payer.name if charge.coverage else ledger.PATIENT
    for whose, owed in ((payer, share.awaiting_insurer), (ledger.PATIENT, share.patient)):
        if owed:
            yield whose, pure.Open(charge.pk, charge.service_date, owed)
