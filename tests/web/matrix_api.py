"""Access matrix rows for the REST API at /api/v1/ (see test_access_matrix.py).

The matrix signs in with the session, which the API accepts beside bearer tokens; without
credentials the API answers 401 (never a redirect to the sign-in page). Records belong to
patient P at clinic A: clinic B's therapist and patient Q get the 404 of a missing object.
Visit notes are for staff (patients 403); action URLs are POST-only (a GET is 405 for all).
The biller reads patients and appointments (as through FHIR) and the money, never a clinical
record. Coverage is read by all staff of the clinic, charges by the billing office, payments by
those who take them, each as on the pages; a patient reads their own.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.api.world import build_world
from tests.billing import support as billing
from tests.personas import Cast
from tests.web import matrix_support as m
from unknot.billing import ledger
from unknot.billing.models import PaymentMethod

NO_CREDENTIALS = 401


def api_page(**overrides: Any) -> dict[str, Any]:
    """Staff of clinic A, and both patients (each sees their own), signed in. The API serves
    the care record and the calendar: the biller is refused (403)."""
    return m.signed_in(200) | {"anonymous": NO_CREDENTIALS, "biller_a": 403} | overrides


def records_of_p(**overrides: Any) -> dict[str, Any]:
    return api_page(therapist_b=404, patient_q=404, **overrides)


def _of_p(key: str) -> Any:
    def kwargs(cast: Cast) -> dict[str, Any]:
        return {"id": getattr(build_world(cast).p, key)}

    return kwargs


def _therapist(cast: Cast) -> dict[str, Any]:
    return {"id": cast.therapist_a.staff_member.pk}


def _type(cast: Cast) -> dict[str, Any]:
    return {"id": build_world(cast).evaluation_a.pk}


STAFF_ONLY = api_page(patient_p=403, patient_q=403)
BILLER_TOO = {"biller_a": 200}
# The roles' own sets, as on the pages: the billing office reads charges; those who take
# payments read payments (a role not named is refused before any clinic is looked at).
CHARGES = api_page(therapist_a=403, front_desk_a=403, therapist_b=403, auditor=403, **BILLER_TOO)
PAYMENTS = api_page(therapist_a=403, therapist_b=403, auditor=403, **BILLER_TOO)
OF_P_ONLY = {"patient_q": 404}


def coverage_of_p(cast: Cast) -> dict[str, Any]:
    return {"id": billing.covered(cast.patient_p, billing.payer(cast)).pk}


def charge_of_p(cast: Cast) -> dict[str, Any]:
    return {"id": billing.charges(cast, ("100.00", 3))[0].pk}


def payment_of_p(cast: Cast) -> dict[str, Any]:
    paid = ledger.payment_record(by=cast.front_desk_a, data=ledger.PaymentInput(
        clinic=cast.clinic_a, method=PaymentMethod.CARD, amount=Decimal("20.00"),
        received_on=dt.date(2031, 3, 2), patient=cast.patient_p,
    ))  # fmt: skip
    return {"id": paid.pk}


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "api:schema": (None, m.everyone(200)),
    "api:docs": (None, m.everyone(200)),
    "api:tokens": (None, m.signed_in(200)),
    "api:token_revoke": (lambda cast: {"token_id": 999999}, m.everyone(405)),
    "api:clinic_list": (None, m.everyone(200)),
    "api:clinic_detail": (m.clinic_a, m.everyone(200)),
    "api:therapist_list": (None, m.everyone(200)),
    "api:therapist_detail": (_therapist, m.everyone(200)),
    "api:type_list": (None, m.everyone(200)),
    "api:type_detail": (_type, m.everyone(200)),
    # public; a bare GET lacks the required clinic, type and dates: the JSON 400
    "api:availability": (None, m.everyone(400)),
    "api:appointment_list": (None, api_page(**BILLER_TOO)),
    "api:appointment_detail": (_of_p("appointment"), records_of_p(**BILLER_TOO)),
    "api:appointment_move": (_of_p("appointment"), m.everyone(405)),
    "api:appointment_cancel": (_of_p("appointment"), m.everyone(405)),
    "api:patient_list": (None, api_page(**BILLER_TOO)),
    "api:patient_detail": (_of_p("patient"), records_of_p(**BILLER_TOO)),
    "api:intake_list": (None, api_page()),
    "api:intake_detail": (_of_p("intake"), records_of_p()),
    "api:plan_list": (None, api_page()),
    "api:plan_detail": (_of_p("plan"), records_of_p()),
    "api:visit_list": (None, STAFF_ONLY),
    "api:visit_detail": (_of_p("visit"), STAFF_ONLY | {"therapist_b": 404}),
    "api:outcome_list": (None, api_page()),
    "api:outcome_detail": (_of_p("outcome"), records_of_p()),
    "api:log_list": (None, api_page()),
    "api:log_detail": (_of_p("log"), records_of_p()),
    "api:coverage_list": (None, api_page(**BILLER_TOO)),
    "api:coverage_detail": (coverage_of_p, records_of_p(**BILLER_TOO)),
    "api:charge_list": (None, CHARGES),
    "api:charge_detail": (charge_of_p, CHARGES | OF_P_ONLY),
    "api:payment_list": (None, PAYMENTS),
    "api:payment_detail": (payment_of_p, PAYMENTS | OF_P_ONLY),
}
