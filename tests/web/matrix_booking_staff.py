"""Access matrix rows for the booking area's staff URLs (see test_access_matrix.py)."""

from typing import Any

from tests.web import matrix_support as m

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {}
