"""Access matrix rows for the booking area's public URLs (see test_access_matrix.py).

All of them are open to everyone, signed in or not. Steps that need a booking in progress send
a visitor without one back to the start (302); POST-only steps answer GET with 405.
"""

from typing import Any

from tests.calendar import evaluation_type
from tests.personas import Cast
from tests.web import matrix_support as m

FORGED = {"token": "not-a-valid-token"}


def clinic_a(cast: Cast) -> dict[str, Any]:
    return {"slug": cast.clinic_a.slug}


def evaluation_a(cast: Cast) -> dict[str, Any]:
    return clinic_a(cast) | {"type_id": evaluation_type(cast.clinic_a).pk}


def any_therapist(cast: Cast) -> dict[str, Any]:
    return evaluation_a(cast) | {"who": "any"}


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "booking:manage": (lambda cast: FORGED, m.everyone(404)),
    "booking:manage_change": (lambda cast: FORGED, m.everyone(404)),
    "booking:book_therapist": (evaluation_a, m.everyone(200)),
    "booking:book_times": (any_therapist, m.everyone(200)),
    "booking:book_hold": (clinic_a, m.everyone(405)),
    "booking:book_details": (clinic_a, m.everyone(302)),
    "booking:book_safety": (clinic_a, m.everyone(302)),
    "booking:book_done": (clinic_a, m.everyone(302)),
    "booking:book_release": (clinic_a, m.everyone(405)),
    "booking:book_stop": (clinic_a, m.everyone(200)),
    "booking:question": (clinic_a, m.everyone(200)),
    "booking:question_sent": (clinic_a, m.everyone(200)),
}
