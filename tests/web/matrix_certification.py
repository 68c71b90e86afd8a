"""Access matrix rows for plan certification (see test_access_matrix.py).

The therapist sends a signed plan from its page (clinic A's clinical staff only; the auditor
and the front desk may read the plan but not send it). Sending again is POST only (405 to a
GET, before any access check). The physician's page opens with its signed link only: a forged
token is 404 for everyone, signed in or not.
"""

from typing import Any

from tests.web import matrix_clinical as mc
from tests.web import matrix_support as m


def signed_plan_a(cast: Any) -> dict[str, Any]:
    return {"plan_id": mc.signed(cast).pk}


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "clinical:plan_certification_send": (signed_plan_a, mc.WRITE_PAGE),
    "clinical:certification_resend": (lambda cast: {"certification_id": 999999}, mc.POST_ONLY),
    "certify:plan": (lambda cast: {"token": "not-a-valid-token"}, m.everyone(404)),
}
