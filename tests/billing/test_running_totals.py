"""CHG-KX after a correction: the patient's later Medicare charges of the year follow the
corrected charge's running total (and KX on their lines), except those on a claim already
sent, which keep theirs while the biller is told their claim may need correcting.

The world (tests/billing/support.py): Medicare from 01/01/2031, a practice threshold of
$300.00, each signed note $165.00 (97010 $20, 97110 x2 $100, 97140 $45, added up in code
order).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audit.support import client_for
from tests.billing import support as s
from tests.web import matrix_clinical as mc
from unknot.billing import claims, services
from unknot.billing.models import Charge, ChargeStatus, Claim, ClaimStatus

L = services.LineEdit
NOW = mc.NOW


@pytest.fixture
def plan(cast):
    return s.medicare_world(cast)


def correct(by, charge, lines):
    return services.charge_correct(by=by, charge=charge, lines=lines, diagnosis_codes=["M54.50"],
                                   reason="Units per the note", now=NOW)  # fmt: skip


def fresh(charge):
    return Charge.objects.get(pk=charge.pk)


def kx_codes(charge):
    return [line.code for line in charge.lines.order_by("code") if "KX" in line.modifiers]


def test_a_correction_moves_the_later_charges_running_totals_and_kx(cast, plan):
    first, second, third = (s.signed_visit(cast, plan) for _ in range(3))
    assert [fresh(c).year_to_date_after for c in (first, second, third)] == [
        Decimal("165.00"), Decimal("330.00"), Decimal("495.00")]  # fmt: skip
    assert kx_codes(second) == ["97140"]  # $330.00 reached on its last line
    correct(cast.biller_a, first, [L("97110", 1, ("GP",))])  # $165.00 down to $50.00
    second, third = fresh(second), fresh(third)
    assert second.year_to_date_after == Decimal("215.00")
    assert kx_codes(second) == []  # under the threshold now: KX taken off
    assert third.year_to_date_after == Decimal("380.00")
    assert kx_codes(third) == ["97110", "97140"]  # $335.00 past it on 97110
    assert [line.modifiers for line in third.lines.order_by("code")][1] == ["GP", "KX"]
    correct(cast.biller_a, fresh(first), [L("97110", 6, ("GP",))])  # $300.00: the next is past
    assert kx_codes(fresh(second)) == ["97010", "97110", "97140"]
    assert fresh(third).year_to_date_after == Decimal("630.00")


def test_earlier_charges_and_other_patients_do_not_move(cast, plan):
    first, second = s.signed_visit(cast, plan), s.signed_visit(cast, plan)
    correct(cast.biller_a, second, [L("97110", 1, ("GP",))])
    assert fresh(first).year_to_date_after == Decimal("165.00")
    assert fresh(second).year_to_date_after == Decimal("215.00")


def sent_claim_of(cast, charge):
    services.charge_approve(by=cast.biller_a, charge=charge, now=NOW)
    claims.claims_make(by=cast.biller_a, now=NOW)
    claim = fresh(charge).claim
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.SENT)  # its file went out
    return claim


def test_a_later_charge_on_a_sent_claim_keeps_its_total_and_the_biller_is_told(cast, plan):
    first, second = s.signed_visit(cast, plan), s.signed_visit(cast, plan)
    claim = sent_claim_of(cast, second)
    assert fresh(second).status == ChargeStatus.BILLED
    client = client_for(cast.biller_a)
    url = reverse("staffarea:charge_correct", args=[first.pk])
    data = {"line-TOTAL_FORMS": "1", "line-INITIAL_FORMS": "0", "line-MIN_NUM_FORMS": "0",
            "line-MAX_NUM_FORMS": "12", "diagnosis_codes": "M54.50", "reason": "One unit",
            "line-0-code": "97110", "line-0-units": "1", "line-0-modifiers": "GP"}  # fmt: skip
    page = client.post(url, data, follow=True).content.decode()
    assert fresh(first).total == Decimal("50.00")
    assert fresh(second).year_to_date_after == Decimal("330.00")  # as the claim said
    assert kx_codes(second) == ["97140"]
    assert (
        f"Later charges already on a claim that was sent keep their Medicare running total and "
        f"KX: Mar 3, 2031 (claim U{claim.pk}). Their claims may need correcting." in page
    )
    shown = client.get(reverse("staffarea:charge_detail", args=[second.pk])).content.decode()
    assert "The claim may need correcting:" in shown
    assert "the amount after this visit is $215.00 (under the threshold: KX does not apply)" in (
        shown
    )
    other = client.get(reverse("staffarea:charge_detail", args=[first.pk])).content.decode()
    assert "The claim may need correcting" not in other


def test_a_charge_on_a_claim_not_sent_yet_follows(cast, plan):
    first, second = s.signed_visit(cast, plan), s.signed_visit(cast, plan)
    services.charge_approve(by=cast.biller_a, charge=second, now=NOW)
    claims.claims_make(by=cast.biller_a, now=NOW)  # ready, not sent
    correct(cast.biller_a, first, [L("97110", 1, ("GP",))])
    assert fresh(second).year_to_date_after == Decimal("215.00")


# --- the property: any sequence of corrections, the running totals as counted from scratch ---

CODES = ("97010", "97110", "97140")
EARLIER_DAY = mc.DAY - dt.timedelta(days=1)
corrections = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),  # which charge
        st.dictionaries(st.sampled_from(CODES), st.integers(min_value=1, max_value=6), min_size=1),
    ),
    min_size=1,
    max_size=5,
)


def from_scratch(charges):
    """The running totals and KX counted again, here and independently of the code under
    test: by date of service, then as made; each line's amount added in code order."""
    running, totals, kx = Decimal(0), {}, {}
    for charge in sorted(charges, key=lambda c: (c.service_date, c.pk)):
        for line in charge.lines.order_by("code"):
            running += line.amount
            kx[line.pk] = running > s.THRESHOLD
        totals[charge.pk] = running
    return totals, kx


def test_after_any_corrections_the_running_totals_are_those_counted_from_scratch(cast, plan):
    """Four charges of P on two days (the second day's notes signed first, so the order is by
    date, not by signing); each example corrects some of them, then is rolled back."""
    later = [s.signed_visit(cast, plan, performed_on=mc.DAY) for _ in range(2)]
    earlier = [s.signed_visit(cast, plan, performed_on=EARLIER_DAY) for _ in range(2)]
    made = [*earlier, *later]
    assert from_scratch([fresh(c) for c in made])[0] == {
        c.pk: fresh(c).year_to_date_after for c in made
    }  # signing out of order already counts by date

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(sequence=corrections)
    def corrected_in_any_order(sequence):
        with transaction.atomic():
            check_after(cast.biller_a, made, sequence)
            transaction.set_rollback(True)  # the next example starts from the same charges

    corrected_in_any_order()


def check_after(biller, made, sequence):
    corrected = set()
    for index, units in sequence:
        lines = [L(code, count, ("GP",)) for code, count in sorted(units.items())]
        try:
            correct(biller, fresh(made[index]), lines)
        except services.ChargeRefused:  # "Nothing was changed": a correction that is none
            continue
        corrected.add(made[index].pk)
    charges = [fresh(c) for c in made]
    totals, kx = from_scratch(charges)
    assert {c.pk: c.year_to_date_after for c in charges} == totals
    for charge in charges:
        if charge.pk not in corrected:  # a corrected charge's modifiers are the biller's
            for line in charge.lines.all():
                assert ("KX" in line.modifiers) == kx[line.pk], (charge.pk, line.code)
