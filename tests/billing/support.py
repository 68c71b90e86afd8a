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
    made = []
    for amount, days in amounts_and_days:
        visit = clinical.visit(cast, episode, performed_on=TODAY - dt.timedelta(days=days))
        made.append(
            Charge.objects.create(
                visit=visit,
                patient=cast.patient_p,
                clinic=cast.clinic_a,
                coverage=coverage,
                rendering=cast.therapist_a.staff_member,
                service_date=visit.performed_on,
                place_of_service=PlaceOfService.OFFICE,
                total=Decimal(amount),
                status=ChargeStatus.APPROVED,
                diagnosis_codes=["M54.50"],
            )
        )
        ChargeLine.objects.create(
            charge=made[-1], code="97110", units=2, modifiers=["GP"], diagnosis_pointers=[1],
            fee=Decimal(amount) / 2, amount=Decimal(amount),
        )  # fmt: skip
    return made
