"""The billing tests' world: clinic A's fee schedule, a Medicare payer, patient P covered by
it, a KX threshold for the clinical tests' year, and visit notes signed through the visit
services (so the charge is made by the same hook as on the pages)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from tests import factories
from tests.billing.claims import REFERRING_NPI
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.billing.models import Charge, ChargeLine, ChargeStatus, Fee, KxThreshold
from unknot.clinics.models import PlaceOfService
from unknot.coverage.models import Coverage, Payer, PlanType, SelfPay
from unknot.plans import visits
from unknot.plans.certification import Physician, certification_send
from unknot.plans.models import PlanStatus

D = visits.Delivered
NPI = "1234567893"  # the NPI registry's own example: a valid check digit
FEES = {"97010": "20.00", "97110": "50.00", "97112": "55.00", "97140": "45.00", "97530": "60.00"}
THRESHOLD = Decimal("300.00")  # the practice's own value for the tests' year (2031)
# 40 timed minutes (3 units: 97110 x2, 97140 x1) and an untimed hot pack (97010 x1): $165.00
MIXED = [D("stretching", 30), D("soft_tissue_massage", 10), D("superficial_heat", 15)]


def fee_schedule(clinic: Any, fees: dict[str, str] = FEES) -> None:
    for code, amount in fees.items():
        Fee.objects.create(clinic=clinic, code=code, amount=Decimal(amount))


def payer(cast: Any, plan_type: str = PlanType.MEDICARE_B, **fields: Any) -> Payer:
    """The practice's payer of that name and id (made once: other builders may have listed it)."""
    values = {"name": "Medicare Part B", "payer_id": "12202", "plan_type": plan_type} | fields
    found, _ = Payer.objects.get_or_create(
        practice=cast.clinic_a.practice, name=values.pop("name"), payer_id=values.pop("payer_id"),
        defaults=values,
    )  # fmt: skip
    return found


def covered(patient: Any, by: Payer, since: dt.date = dt.date(2031, 1, 1)) -> Coverage:
    return Coverage.objects.create(patient=patient, payer=by, member_id="1EG4TE5MK73",
                                   effective_from=since)  # fmt: skip


def self_pay(patient: Any) -> SelfPay:
    return SelfPay.objects.create(patient=patient, since=dt.date(2031, 1, 1))


def medicare_world(cast: Any) -> Any:
    """Clinic A bills; P is on Medicare from 01/01/2031; therapist A has an NPI. A signed plan
    of P's at clinic A."""
    medicare_world_for(cast)
    return mc.signed(cast)


def medicare_world_for(cast: Any, patient: Any = None) -> None:
    member = cast.therapist_a.staff_member
    member.npi = NPI
    member.save(update_fields=["npi"])
    fee_schedule(cast.clinic_a)
    covered(patient or cast.patient_p, payer(cast))
    KxThreshold.objects.create(practice=cast.clinic_a.practice, year=2031, amount=THRESHOLD)


def signed_visit(cast: Any, plan: Any, delivered: list[Any] | None = None, **data: Any) -> Charge:
    """A visit note written and signed by therapist A; its charge."""
    visit = mc.visit(cast, plan.episode, delivered=MIXED if delivered is None else delivered,
                     **data)  # fmt: skip
    visits.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    return Charge.objects.get(visit=visit)


def biller(clinic: Any, name: str) -> Any:
    """Another biller (the cast has biller_a at clinic A)."""
    return factories.staff(name, "biller", [clinic])


def lines_of(charge: Charge) -> list[tuple[str, int, list[str], str, str]]:
    return [(line.code, line.units, line.modifiers, str(line.fee), str(line.amount))
            for line in charge.lines.order_by("code")]  # fmt: skip


# Charges written directly, for the ledger, claims and account tests (not the charging rule).
TODAY = mc.DAY


def charges(cast: Cast, *amounts_and_days: tuple[str, int], coverage: Any = None) -> list[Charge]:
    """Approved charges of patient P at clinic A, one per signed visit, `days` before TODAY."""
    episode = mc.signed(cast).episode
    visits = [
        mc.visit(cast, episode, performed_on=TODAY - dt.timedelta(days=days))
        for _, days in amounts_and_days
    ]
    amounts = [Decimal(amount) for amount, _ in amounts_and_days]
    return charges_on(cast, visits, coverage, amounts)


def charges_on(
    cast: Cast, visits: list[Any], coverage: Any = None, amounts: list[Decimal] | None = None
) -> list[Charge]:
    """An approved charge on each visit: 97110 x 2 for M54.50, by therapist A (NPI on file)."""
    member = cast.therapist_a.staff_member
    if not member.npi:
        member.npi = "1245319599"
        member.save(update_fields=["npi"])
    made = []
    for visit, amount in zip(visits, amounts or [Decimal("120.00")] * len(visits), strict=True):
        charge = Charge.objects.create(
            visit=visit, patient=cast.patient_p, clinic=cast.clinic_a, coverage=coverage,
            rendering=member, service_date=visit.performed_on,
            place_of_service=PlaceOfService.OFFICE, total=amount, status=ChargeStatus.APPROVED,
            diagnosis_codes=["M54.50"],
        )  # fmt: skip
        ChargeLine.objects.create(
            charge=charge, code="97110", units=2, modifiers=["GP"], diagnosis_pointers=[1],
            fee=amount / 2, amount=amount,
        )  # fmt: skip
        made.append(charge)
    return made


REFERRER = Physician("Helen", "Park", REFERRING_NPI, "helen.park@example.org")


def referred(cast: Cast, charge: Charge, physician: Physician = REFERRER) -> Any:
    """The charge's episode's signed plan sent to `physician` for certification (not yet
    answered): the referring provider its claims name."""
    plan = charge.visit.episode.plans.get(status=PlanStatus.SIGNED)
    return certification_send(by=cast.therapist_a, plan=plan, physician=physician, now=mc.NOW)
