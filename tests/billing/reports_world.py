"""A small practice's money, built by hand for the billing reports' tests, with the figures
each report should give (docs/billing.md, "Reports").

Clinic A: Penny Parker on Medicare (threshold $300.00 for 2031), Rita Reed on Pinecone (which
counts no-shows, 10 visits authorised in March 2031); clinic B: Quentin Quill, self-pay.
Therapist A and A2 work at clinic A, therapist B at clinic B; the owner at both.

| charge | patient | clinic | therapist | payer    | visit      | amount                     |
|--------|---------|--------|-----------|----------|------------|----------------------------|
| 1      | Parker  | A      | A         | Medicare | 02/10/2031 | 120.00                     |
| 2      | Parker  | A      | A         | Medicare | 03/02/2031 | 120.00, corrected to 50.00 |
| 3      | Parker  | A      | A2        | Medicare | 03/05/2031 | 150.00                     |
| 4      | Reed    | A      | A2        | Pinecone | 03/06/2031 | 200.00                     |
| 5      | Reed    | A      | A         | Pinecone | 03/07/2031 | 80.00, still to review     |
| 6      | Quill   | B      | B         | self-pay | 03/04/2031 | 90.00                      |
| 7      | Parker  | A      | A         | Medicare | 03/08/2031 | 40.00, voided              |

Payments: Parker $30.00 cash on 02/15/2031 (to charge 1); Pinecone $150.00 on 03/10/2031 (to
charge 4). Adjustment: $20.00 contractual off charge 4 on 03/11/2031.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests import factories
from tests.billing import support
from tests.personas import Cast
from unknot.billing import ledger
from unknot.billing import services as billing
from unknot.billing.models import (
    Adjustment,
    AdjustmentReason,
    Charge,
    ChargeLine,
    ChargeStatus,
    KxThreshold,
    PaymentMethod,
)
from unknot.booking.models import Appointment, AppointmentKind, AppointmentType, Status
from unknot.clinics.models import PlaceOfService
from unknot.coverage.models import Authorisation, Coverage, PlanType
from unknot.records.models import Episode, Visit

NOW = dt.datetime(2031, 4, 1, 12, 0, tzinfo=dt.UTC)
MARCH = {"first": "03/01/2031", "last": "03/31/2031"}


@dataclass
class World:
    cast: Cast
    owner: Any
    therapist_a2: Any
    rita: Any
    medicare: Any
    pinecone: Any
    charges: list[Charge]
    authorisation: Authorisation


def charge(patient: Any, clinic: Any, by: Any, coverage: Any, day: dt.date, amount: str,
           status: str = ChargeStatus.APPROVED) -> Charge:  # fmt: skip
    """An approved charge (97110, one line) of a visit of its own episode."""
    member = by.staff_member
    episode = Episode.objects.create(patient=patient, clinic=clinic, therapist=member)
    visit = Visit.objects.create(episode=episode, therapist=member, number=1, performed_on=day)
    made = Charge.objects.create(
        visit=visit, patient=patient, clinic=clinic, rendering=member, coverage=coverage,
        service_date=day, place_of_service=PlaceOfService.OFFICE, total=Decimal(amount),
        status=status, diagnosis_codes=["M54.50"],
    )  # fmt: skip
    ChargeLine.objects.create(
        charge=made, code="97110", units=2, modifiers=["GP"], diagnosis_pointers=[1],
        fee=Decimal(amount) / 2, amount=Decimal(amount),
    )  # fmt: skip
    return made


def build(cast: Cast) -> World:
    owner = factories.staff("owner", "owner", [cast.clinic_a, cast.clinic_b])
    therapist_a2 = factories.staff("therapist_a2", "therapist", [cast.clinic_a])
    rita = factories.patient("Rita", "Reed", cast.clinic_a)
    support.fee_schedule(cast.clinic_a)
    medicare = support.payer(cast)
    pinecone = support.payer(cast, PlanType.COMMERCIAL, name="Pinecone", payer_id="PC1",
                             counts_no_shows=True)  # fmt: skip
    KxThreshold.objects.create(practice=cast.clinic_a.practice, year=2031, amount=Decimal("300"))
    parker_covered = support.covered(cast.patient_p, medicare)
    reed_covered = support.covered(rita, pinecone)
    support.self_pay(cast.patient_q)
    a, b = cast.clinic_a, cast.clinic_b
    day = dt.date
    made = [
        charge(cast.patient_p, a, cast.therapist_a, parker_covered, day(2031, 2, 10), "120.00"),
        charge(cast.patient_p, a, cast.therapist_a, parker_covered, day(2031, 3, 2), "120.00"),
        charge(cast.patient_p, a, therapist_a2, parker_covered, day(2031, 3, 5), "150.00"),
        charge(rita, a, therapist_a2, reed_covered, day(2031, 3, 6), "200.00"),
        charge(
            rita,
            a,
            cast.therapist_a,
            reed_covered,
            day(2031, 3, 7),
            "80.00",
            ChargeStatus.TO_REVIEW,
        ),
        charge(cast.patient_q, b, cast.therapist_b, None, day(2031, 3, 4), "90.00"),
        charge(
            cast.patient_p,
            a,
            cast.therapist_a,
            parker_covered,
            day(2031, 3, 8),
            "40.00",
            ChargeStatus.VOID,
        ),
    ]
    _correct(cast, made[1])
    _money(cast, made, rita, pinecone)
    authorisation = _authorised(cast, rita, reed_covered)
    for row in made:
        row.refresh_from_db()
    return World(cast, owner, therapist_a2, rita, medicare, pinecone, made, authorisation)


def _correct(cast: Cast, made: Charge) -> None:
    """The biller corrects charge 2 to one unit ($50.00), then approves it again."""
    billing.charge_correct(
        by=cast.biller_a, charge=made, lines=[billing.LineEdit("97110", 1, ("GP",))],
        diagnosis_codes=["M54.50"], reason="one unit was given", now=NOW,
    )  # fmt: skip
    billing.charge_approve(by=cast.biller_a, charge=made, now=NOW)


def _money(cast: Cast, made: list[Charge], rita: Any, pinecone: Any) -> None:
    ledger.payment_record(by=cast.manager, data=ledger.PaymentInput(
        clinic=cast.clinic_a, method=PaymentMethod.CASH, amount=Decimal("30.00"),
        received_on=dt.date(2031, 2, 15), patient=cast.patient_p,
    ))  # fmt: skip
    ledger.payment_record(by=cast.manager, data=ledger.PaymentInput(
        clinic=cast.clinic_a, method=PaymentMethod.INSURER, amount=Decimal("150.00"),
        received_on=dt.date(2031, 3, 10), patient=rita, payer=pinecone,
    ))  # fmt: skip
    adjusted = ledger.adjustment_make(
        by=cast.manager, charge=made[3], amount=Decimal("20.00"),
        reason=AdjustmentReason.CONTRACTUAL, note="contract rate",
    )  # fmt: skip
    Adjustment.objects.filter(pk=adjusted.pk).update(at=dt.datetime(2031, 3, 11, 15, tzinfo=dt.UTC))


def _authorised(cast: Cast, rita: Any, coverage: Coverage) -> Authorisation:
    """10 visits in March 2031: two attended, one booked, one missed (Pinecone counts it), one
    cancelled (never counted)."""
    authorisation = Authorisation.objects.create(
        coverage=coverage, reference="PC-77", authorised=10, start_date=dt.date(2031, 3, 1),
        end_date=dt.date(2031, 3, 31), entered_by=cast.manager,
    )  # fmt: skip
    kind = AppointmentType.objects.create(
        clinic=cast.clinic_a, kind=AppointmentKind.FOLLOW_UP, name="Follow-up",
        duration_minutes=45, online_booking="staff_only",
    )  # fmt: skip
    statuses = [Status.COMPLETED, Status.ARRIVED, Status.BOOKED, Status.NO_SHOW, Status.CANCELLED]
    for number, status in enumerate(statuses, start=1):
        start = dt.datetime(2031, 3, 2 + number, 15, tzinfo=dt.UTC)
        end = start + dt.timedelta(minutes=45)
        Appointment.objects.create(
            clinic=cast.clinic_a, appointment_type=kind, patient=rita,
            therapist=cast.therapist_a.staff_member, start=start, end=end, blocked_start=start,
            blocked_end=end, status=status,
        )  # fmt: skip
    return authorisation
