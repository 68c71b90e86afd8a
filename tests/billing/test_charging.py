"""A signed visit note becomes its charge (billing.charging, run by plans.hooks at signing)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.billing import support as s
from tests.web import matrix_clinical as mc
from unknot.audit.models import AuditEvent
from unknot.billing.models import Charge, ChargeStatus, Fee, KxThreshold
from unknot.coverage.models import Coverage, PlanType
from unknot.plans import visits

D = s.D


@pytest.fixture
def plan(cast):
    return s.medicare_world(cast)


def test_a_signed_visit_makes_its_charge_with_units_modifiers_and_fees(cast, plan):
    charge = s.signed_visit(cast, plan)
    assert s.lines_of(charge) == [
        ("97010", 1, ["GP"], "20.00", "20.00"),  # untimed: one unit
        ("97110", 2, ["GP"], "50.00", "100.00"),  # 40 timed minutes: 3 units in all
        ("97140", 1, ["GP"], "45.00", "45.00"),
    ]
    assert charge.status == ChargeStatus.TO_REVIEW and charge.hold_reason == ""
    assert charge.total == Decimal("165.00")
    assert charge.year_to_date_after == Decimal("165.00")
    assert charge.coverage.payer.name == "Medicare Part B"
    assert charge.rendering == cast.therapist_a.staff_member
    assert (charge.service_date, charge.place_of_service) == (mc.DAY, "11")
    assert charge.diagnosis_codes and all(code[0].isalpha() for code in charge.diagnosis_codes)
    pointers = list(range(1, min(4, len(charge.diagnosis_codes)) + 1))
    assert all(line.diagnosis_pointers == pointers for line in charge.lines.all())
    assert AuditEvent.objects.filter(
        object_type="charge", object_id=str(charge.pk), action="create", reason="from_signed_note"
    ).exists()


def test_an_unsigned_note_makes_no_charge(cast, plan):
    mc.visit(cast, plan.episode, delivered=s.MIXED)
    assert not Charge.objects.exists()


def test_kx_once_the_years_medicare_amount_passes_the_threshold(cast, plan):
    first = s.signed_visit(cast, plan)
    second = s.signed_visit(cast, plan)
    assert [line.modifiers for line in first.lines.all()] == [["GP"]] * 3
    # $165 before; 97010 makes $185, 97110 $285 (not past $300), 97140 $330: past it.
    assert s.lines_of(second) == [
        ("97010", 1, ["GP"], "20.00", "20.00"),
        ("97110", 2, ["GP"], "50.00", "100.00"),
        ("97140", 1, ["GP", "KX"], "45.00", "45.00"),
    ]
    assert second.year_to_date_after == Decimal("330.00")
    third = s.signed_visit(cast, plan)
    assert all("KX" in line.modifiers for line in third.lines.all())
    assert third.year_to_date_after == Decimal("495.00")


def test_a_voided_charge_does_not_count_towards_the_year(cast, plan):
    first = s.signed_visit(cast, plan)
    Charge.objects.filter(pk=first.pk).update(status=ChargeStatus.VOID)
    assert s.signed_visit(cast, plan).year_to_date_after == Decimal("165.00")


def test_other_payers_get_no_kx_and_their_modifier_for_a_bundled_pair(cast, plan):
    commercial = s.payer(cast, PlanType.COMMERCIAL, name="Acme Health", distinct_modifier="XU")
    Coverage.objects.filter(patient=cast.patient_p).update(payer=commercial)
    delivered = [D("posture_movement_training", 30), D("soft_tissue_massage", 15)]
    for _ in range(3):
        charge = s.signed_visit(cast, plan, delivered=delivered)
    assert s.lines_of(charge) == [
        ("97140", 1, ["GP", "XU"], "45.00", "45.00"),  # column two of 97530 + 97140
        ("97530", 2, ["GP"], "60.00", "120.00"),
    ]
    assert charge.year_to_date_after == 0


def test_self_pay_is_billed_to_nobody_but_the_patient(cast, plan):
    Coverage.objects.all().delete()
    s.self_pay(cast.patient_p)
    charge = s.signed_visit(cast, plan)
    assert charge.status == ChargeStatus.TO_REVIEW
    assert charge.coverage is None and charge.year_to_date_after == 0
    assert [line.modifiers for line in charge.lines.all()] == [["GP"]] * 3


def test_no_coverage_and_no_self_pay_holds_the_charge(cast, plan):
    Coverage.objects.all().delete()
    charge = s.signed_visit(cast, plan)
    assert charge.status == ChargeStatus.HELD
    assert charge.hold_reason == ("Coverage unknown: no primary insurance in effect on "
                                  "Mar 3, 2031 and self-pay not declared.")  # fmt: skip
    assert charge.lines.count() == 3  # the lines are there for the biller to see


def test_a_coverage_that_ended_before_the_visit_does_not_count(cast, plan):
    Coverage.objects.update(effective_to=dt.date(2031, 2, 28))
    assert "Coverage unknown" in s.signed_visit(cast, plan).hold_reason


def test_a_missing_fee_holds_the_charge_and_never_stops_the_signature(cast, plan):
    Fee.objects.filter(code="97140").delete()
    charge = s.signed_visit(cast, plan)
    assert charge.visit.signed_at is not None
    assert charge.status == ChargeStatus.HELD
    assert charge.hold_reason == "No fee for 97140 in Alder Clinic's fee schedule."
    assert ("97140", 1, ["GP"], "0.00", "0.00") in s.lines_of(charge)
    assert charge.total == Decimal("120.00")


def test_an_unknown_kx_year_holds_a_medicare_charge_with_the_message(cast, plan):
    KxThreshold.objects.all().delete()  # 2031 is in no published table
    charge = s.signed_visit(cast, plan)
    assert charge.status == ChargeStatus.HELD
    assert charge.hold_reason.startswith("No KX threshold is known for 2031")
    assert all("KX" not in line.modifiers for line in charge.lines.all())


def test_the_published_threshold_applies_without_a_practice_value(cast, plan):
    KxThreshold.objects.all().delete()
    Coverage.objects.update(effective_from=dt.date(2026, 1, 1))
    charge = s.signed_visit(cast, plan, performed_on=dt.date(2026, 3, 3))
    assert charge.status == ChargeStatus.TO_REVIEW, charge.hold_reason
    # 2026's $2,480 is far off: no KX on the first visit of the year
    assert all("KX" not in line.modifiers for line in charge.lines.all())


def test_a_therapist_without_an_npi_holds_the_charge(cast, plan):
    cast.therapist_a.staff_member.__class__.objects.filter(pk=cast.therapist_a.staff_member.pk
                                                           ).update(npi="")  # fmt: skip
    assert "has no NPI on file" in s.signed_visit(cast, plan).hold_reason


def test_a_note_with_nothing_billable_is_held(cast, plan):
    charge = s.signed_visit(cast, plan, delivered=[D("stretching", 7)])
    assert charge.status == ChargeStatus.HELD
    assert charge.hold_reason.startswith("Nothing to bill")
    assert charge.total == 0


def test_a_failing_charge_leaves_the_note_unsigned(cast, plan, monkeypatch):
    from unknot.billing import charging

    def broken(*args, **kwargs):
        raise RuntimeError("no database")

    monkeypatch.setattr(charging, "price", broken)
    visit = mc.visit(cast, plan.episode, delivered=s.MIXED)
    with pytest.raises(RuntimeError):
        visits.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    visit.refresh_from_db()
    assert visit.signed_at is None and not Charge.objects.exists()


def test_a_medicare_charge_held_for_an_unknown_year_still_keeps_the_years_amount(cast, plan):
    KxThreshold.objects.all().delete()
    s.signed_visit(cast, plan)
    assert s.signed_visit(cast, plan).year_to_date_after == Decimal("330.00")
