"""Access matrix rows for the biller's URLs (see test_access_matrix.py).

Billers, managers and the owner work on charges and fees (`BILLING_ROLES`); therapists, the
front desk and the auditor are refused (403) at every clinic, the other clinic's staff too
(their role is refused before the clinic is looked at). The charge's page opens on a charge
of clinic A, made from a signed note. Approve, hold and release are POST only (405 to a GET,
before any access check). The biller persona's rows come with the persona.
"""

from typing import Any

from tests.billing import support
from tests.web import matrix_support as m

BILLING_ONLY = m.staff_page(
    therapist_a=403, front_desk_a=403, therapist_b=403, auditor=403, **m.BILLER_READS
)


def charge_a(cast: Any) -> dict[str, Any]:
    plan = support.medicare_world(cast)
    return {"charge_id": support.signed_visit(cast, plan).pk}


NO_SUCH_CHARGE = {"charge_id": 999999}

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "staffarea:charge_queue": (m.clinic_a, BILLING_ONLY),
    "staffarea:fee_schedule": (m.clinic_a, BILLING_ONLY),
    "staffarea:charge_detail": (charge_a, BILLING_ONLY),
    "staffarea:charge_correct": (charge_a, BILLING_ONLY),
    "staffarea:charge_approve": (lambda cast: NO_SUCH_CHARGE, m.everyone(405)),
    "staffarea:charge_hold": (lambda cast: NO_SUCH_CHARGE, m.everyone(405)),
    "staffarea:charge_release": (lambda cast: NO_SUCH_CHARGE, m.everyone(405)),
}
