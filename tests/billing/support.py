"""Shared by the billing tests: approved charges of patient P, made on signed visits."""

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.personas import Cast
from tests.web import matrix_clinical as clinical
from unknot.billing.models import Charge, ChargeLine, ChargeStatus
from unknot.clinics.models import PlaceOfService

TODAY = clinical.DAY


def charges(cast: Cast, *amounts_and_days: tuple[str, int], coverage: Any = None) -> list[Charge]:
    """Approved charges of patient P at clinic A, one per signed visit, `days` before TODAY."""
    episode = clinical.signed(cast).episode
    visits = [
        clinical.visit(cast, episode, performed_on=TODAY - dt.timedelta(days=days))
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
