"""The biller's writes: approve, correct (the before kept, a reason required), hold, release
(priced again), and the fee schedule; only billing roles of the charge's clinic."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories
from tests.billing import support as s
from tests.web import matrix_clinical as mc
from unknot.audit.models import AuditEvent
from unknot.billing import services
from unknot.billing.models import Charge, ChargeCorrection, ChargeStatus, Fee
from unknot.coverage.models import Coverage

L = services.LineEdit
NOW = mc.NOW


@pytest.fixture
def plan(cast):
    return s.medicare_world(cast)


@pytest.fixture
def charge(cast, plan):
    return s.signed_visit(cast, plan)


@pytest.fixture
def biller(cast):
    return cast.biller_a


def correct(by, charge, lines, codes=("M54.50",), reason="Notes say 2 units of manual therapy"):
    return services.charge_correct(by=by, charge=charge, lines=lines,
                                   diagnosis_codes=list(codes), reason=reason, now=NOW)  # fmt: skip


def test_approving_a_charge_to_review(biller, charge):
    approved = services.charge_approve(by=biller, charge=charge, now=NOW)
    assert (approved.status, approved.reviewed_by, approved.reviewed_at) == (
        ChargeStatus.APPROVED, biller, NOW)  # fmt: skip
    with pytest.raises(services.ChargeRefused, match="Only a charge to review"):
        services.charge_approve(by=biller, charge=charge, now=NOW)
    assert AuditEvent.objects.filter(object_type="charge", reason="approved").count() == 1


def test_a_correction_keeps_the_before_and_prices_from_the_schedule(biller, charge):
    before = s.lines_of(charge)
    lines = [L("97010", 1, ("GP",)), L("97110", 2, ("GP",)), L("97140", 2, ("GP", "KX"))]
    corrected = correct(biller, charge, lines, codes=["M54.50", "m54.42"])
    assert s.lines_of(corrected)[-1] == ("97140", 2, ["GP", "KX"], "45.00", "90.00")
    assert corrected.total == Decimal("210.00")
    assert corrected.year_to_date_after == Decimal("210.00")  # Medicare: moves with the total
    assert corrected.diagnosis_codes == ["M54.50", "M54.42"]
    assert all(line.diagnosis_pointers == [1, 2] for line in corrected.lines.all())
    kept = ChargeCorrection.objects.get(charge=charge)
    assert [(x["code"], x["units"], x["modifiers"], x["fee"], x["amount"])
            for x in kept.before["lines"]] == before  # fmt: skip
    assert kept.before["total"] == "165.00"
    assert (kept.reason, kept.by) == ("Notes say 2 units of manual therapy", biller)
    assert AuditEvent.objects.filter(object_type="charge", reason="corrected").exists()


@pytest.mark.parametrize(
    ("lines", "codes", "reason", "words"),
    [
        ([L("97110", 2, ("GP",))], ["M54.50"], "  ", "Please say why"),
        ([], ["M54.50"], "fix", "at least one line"),
        ([L("9711", 2, ())], ["M54.50"], "fix", "five characters"),
        ([L("97110", 0, ())], ["M54.50"], "fix", "units must be from 1"),
        ([L("97110", 1, ("G",))], ["M54.50"], "fix", "two letters or digits"),
        ([L("97110", 1, ("GP", "GP"))], ["M54.50"], "fix", "listed twice"),
        ([L("97110", 1, ()), L("97110", 1, ())], ["M54.50"], "fix", "one line only"),
        ([L("97110", 1, ())], [], "fix", "at least one diagnosis"),
        ([L("97110", 1, ())], ["back pain"], "fix", "not an ICD-10-CM code"),
        ([L("97750", 1, ())], ["M54.50"], "fix", "No fee for 97750"),
    ],
)
def test_a_bad_correction_changes_nothing(biller, charge, lines, codes, reason, words):
    before = s.lines_of(charge)
    with pytest.raises(services.ChargeRefused, match=words):
        correct(biller, charge, lines, codes=codes, reason=reason)
    assert s.lines_of(charge) == before
    assert not ChargeCorrection.objects.exists()


def test_a_correction_that_changes_nothing_is_refused(biller, charge):
    lines = [L(line.code, line.units, tuple(line.modifiers)) for line in charge.lines.all()]
    with pytest.raises(services.ChargeRefused, match="Nothing was changed"):
        correct(biller, charge, lines, codes=charge.diagnosis_codes)


def test_correcting_an_approved_charge_sends_it_back_to_review(biller, charge):
    services.charge_approve(by=biller, charge=charge, now=NOW)
    assert correct(biller, charge, [L("97110", 3, ("GP",))]).status == ChargeStatus.TO_REVIEW


def test_holding_needs_a_reason_and_release_brings_it_back(biller, charge):
    with pytest.raises(services.ChargeRefused, match="why the charge is held"):
        services.charge_hold(by=biller, charge=charge, reason="", now=NOW)
    held = services.charge_hold(by=biller, charge=charge, reason="Waiting for the MD", now=NOW)
    assert (held.status, held.hold_reason) == (ChargeStatus.HELD, "Waiting for the MD")
    released = services.charge_release(by=biller, charge=charge, now=NOW)
    assert (released.status, released.hold_reason) == (ChargeStatus.TO_REVIEW, "")
    assert released.total == Decimal("165.00")  # priced again, its own total not counted twice
    assert released.year_to_date_after == Decimal("165.00")


def test_a_charge_held_for_a_missing_fee_is_released_once_the_fee_is_there(cast, plan, biller):
    Fee.objects.filter(code="97140").delete()
    charge = s.signed_visit(cast, plan)
    with pytest.raises(services.ChargeRefused, match="stays on hold: No fee for 97140"):
        services.charge_release(by=biller, charge=charge, now=NOW)
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.HELD
    services.fee_set(by=biller, clinic=cast.clinic_a, code="97140", amount=Decimal("45"))
    released = services.charge_release(by=biller, charge=charge, now=NOW)
    assert released.status == ChargeStatus.TO_REVIEW
    assert ("97140", 1, ["GP"], "45.00", "45.00") in s.lines_of(released)
    assert released.total == Decimal("165.00")


def test_a_charge_held_for_unknown_coverage_stays_held_until_someone_pays(cast, plan, biller):
    Coverage.objects.all().delete()
    charge = s.signed_visit(cast, plan)
    with pytest.raises(services.ChargeRefused, match="Coverage unknown"):
        services.charge_release(by=biller, charge=charge, now=NOW)
    s.self_pay(cast.patient_p)
    assert services.charge_release(by=biller, charge=charge, now=NOW).coverage is None


def test_a_corrected_held_charge_keeps_the_billers_lines_on_release(cast, plan, biller):
    Fee.objects.filter(code="97140").delete()
    charge = s.signed_visit(cast, plan)
    correct(biller, charge, [L("97110", 3, ("GP",))])
    released = services.charge_release(by=biller, charge=charge, now=NOW)
    assert s.lines_of(released) == [("97110", 3, ["GP"], "50.00", "150.00")]


@pytest.mark.parametrize("who", ["therapist_a", "front_desk_a", "auditor", "therapist_b"])
def test_roles_that_do_not_bill_are_refused(cast, charge, who):
    with pytest.raises(PermissionDenied):
        services.charge_approve(by=cast.users[who], charge=charge, now=NOW)
    with pytest.raises(PermissionDenied):
        services.fee_set(by=cast.users[who], clinic=cast.clinic_a, code="97110",
                         amount=Decimal("1"))  # fmt: skip
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.TO_REVIEW


def test_the_other_clinics_biller_is_refused(cast, charge):
    outsider = s.biller(cast.clinic_b, "biller_b")
    with pytest.raises(PermissionDenied):
        correct(outsider, charge, [L("97110", 3, ("GP",))])
    with pytest.raises(PermissionDenied):
        services.fee_set(by=outsider, clinic=cast.clinic_a, code="97110", amount=Decimal("1"))
    assert not ChargeCorrection.objects.exists()


def test_the_owner_and_the_manager_bill_too(cast, charge):
    owner = factories.staff("owner", "owner", [])
    services.charge_hold(by=owner, charge=charge, reason="check", now=NOW)
    assert services.charge_release(by=cast.manager, charge=charge, now=NOW).status == "to_review"


def test_setting_a_fee(cast, biller):
    fee = services.fee_set(by=biller, clinic=cast.clinic_a, code=" 97750 ", amount=Decimal("80"))
    assert (fee.code, fee.amount) == ("97750", Decimal("80.00"))
    services.fee_set(by=biller, clinic=cast.clinic_a, code="97750", amount=Decimal("82.5"))
    assert Fee.objects.get(clinic=cast.clinic_a, code="97750").amount == Decimal("82.50")
    assert AuditEvent.objects.filter(object_type="fee", action="update").count() == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [("-1", "from \\$0.00"), ("100000", "from \\$0.00"), ("12.345", "to the cent"),
     ("ten", "as an amount"), ("NaN", "from \\$0.00"), ("Infinity", "from \\$0.00")],
)  # fmt: skip
def test_a_fee_must_be_an_amount_to_the_cent(text, words):
    with pytest.raises(services.ChargeRefused, match=words):
        services.checked_amount(text)


def test_a_fee_as_typed_with_a_dollar_sign_and_commas():
    assert services.checked_amount("$1,234.5") == Decimal("1234.50")


def test_a_fee_needs_a_cpt_code(cast, biller):
    with pytest.raises(services.ChargeRefused, match="five characters"):
        services.fee_set(by=biller, clinic=cast.clinic_a, code="<b>", amount=Decimal("1"))
    assert not Fee.objects.filter(clinic=cast.clinic_a).exclude(code__in=s.FEES).exists()
