"""Access matrix rows for the clinical URLs (see test_access_matrix.py)."""

from typing import Any

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {}
