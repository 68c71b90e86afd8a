"""Access matrix rows for the booking area's public URLs (see test_access_matrix.py)."""

from typing import Any

from tests.web import matrix_support as m

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "booking:manage": (lambda cast: {"token": "not-a-valid-token"}, m.everyone(404)),
}
