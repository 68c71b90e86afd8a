"""Access matrix rows for the booking area's api URLs (see test_access_matrix.py)."""

from typing import Any

from tests.web import matrix_support as m

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    # public; a bare GET lacks the required query, so everyone gets the JSON 400
    "booking:api_availability": (None, m.everyone(400)),
    # GET lists, POST books: staff who may write; read-only roles and patients get 403
    "booking:api_appointments": (None, m.staff_page(auditor=403)),
}
